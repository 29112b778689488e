import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { canonicalJson } from './canonical-json';
import {
  Order,
  OrderChange,
  OrderDraft,
  OrderRevision,
  editableContent,
  placeOrder,
  reviseOrder,
  transitionOrder,
} from './domain/order';
import { IdempotencyKeyReuseError, OrderNotFoundError, VersionMismatchError } from './domain/order-errors';
import { OrderStatus } from './domain/order-status';
import { OrderCursor } from './order-cursor';
import { OrderMetrics } from './order-metrics';
import { IdempotencyRepository } from './persistence/idempotency.repository';
import { OrderListQuery, OrdersRepository, OrdersTransaction } from './persistence/orders.repository';
import { CacheRead, OrderReadCache } from './read-cache/order-read-cache';
import { OrderTimelineRepository, TimelineEntry } from './timeline/order-timeline.repository';

/** Who asked for a write: travels into the events it causes. */
export interface WriteContext {
  correlationId: string | null;
  /** Versions If-Match allows (undefined: any); the write fails with 412 unless the order is at one of them. */
  expectedVersions?: readonly number[];
}

export interface OrderPage {
  items: Order[];
  nextCursor: string | null;
}

export type OrderFilter = Omit<OrderListQuery, 'after'> & { cursor?: string };

/** No authentication yet: every caller shares one read-cache scope (see OrderReadCache). */
const CACHE_SCOPE = 'public';

/**
 * The order use cases. Every change commits together with the event that announces it; once it has
 * committed, the repository announces it (read cache, relay wake-up).
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly timeline: OrderTimelineRepository,
    private readonly cache: OrderReadCache,
    private readonly metrics: OrderMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async place(
    draft: OrderDraft,
    ctx: WriteContext,
    idempotencyKey?: string,
  ): Promise<{ order: Order; replayed: boolean }> {
    if (!idempotencyKey) {
      const [order] = await this.insert([draft], ctx, 'single');
      return { order, replayed: false };
    }

    const requestHash = hashRequest(draft);
    const placed = await this.orders.transaction(async (tx) => {
      if (!(await this.idempotency.claim(tx, idempotencyKey, requestHash, this.config.idempotencyKeyTtlSeconds))) {
        return null;
      }
      const changes = await this.insertOrders([draft], ctx, tx);
      await this.idempotency.saveResponse(tx, idempotencyKey, changes[0].order);
      return changes;
    });
    if (placed) {
      this.metrics.recordPlaced(placed, 'single');
      return { order: placed[0].order, replayed: false };
    }

    const stored = await this.idempotency.find(idempotencyKey);
    if (!stored) return this.place(draft, ctx, idempotencyKey); // expired between the two reads
    if (stored.requestHash !== requestHash) throw new IdempotencyKeyReuseError(idempotencyKey);
    return { order: reviveOrder(stored.response), replayed: true };
  }

  /** All or nothing: one transaction and a handful of statements for the whole batch. */
  placeMany(drafts: readonly OrderDraft[], ctx: WriteContext): Promise<Order[]> {
    return this.insert(drafts, ctx, 'bulk');
  }

  /** One order, through the read cache. */
  get(id: string): Promise<CacheRead<Order>> {
    return this.cache.order(CACHE_SCOPE, id, () => this.load(id));
  }

  /** A page of orders, newest first, through the read cache. */
  list(filter: OrderFilter): Promise<CacheRead<OrderPage>> {
    return this.cache.page(CACHE_SCOPE, filter, async () => {
      const { cursor, ...query } = filter;
      const items = await this.orders.list({ ...query, after: cursor ? OrderCursor.decode(cursor) : undefined });
      const last = items.at(-1);
      return { items, nextCursor: items.length === query.limit && last ? OrderCursor.encode(last) : null };
    });
  }

  /** The order's timeline, as the worker consumed its events. */
  async events(id: string): Promise<TimelineEntry[]> {
    await this.load(id);
    return this.timeline.findByOrder(id);
  }

  revise(id: string, revision: OrderRevision, ctx: WriteContext): Promise<Order> {
    return this.change(id, ctx, (order, now) => reviseOrder(order, revision, now));
  }

  /**
   * A partial change: `patch` turns the current editable content into the revision to apply (it may
   * reject it). It runs while the order is locked, so no concurrent write slips in between.
   */
  patch(id: string, patch: (content: OrderRevision) => Promise<OrderRevision>, ctx: WriteContext): Promise<Order> {
    return this.change(id, ctx, async (order, now) => reviseOrder(order, await patch(editableContent(order)), now));
  }

  transition(id: string, to: OrderStatus, ctx: WriteContext): Promise<Order> {
    return this.change(id, ctx, (order, now) => transitionOrder(order, to, now));
  }

  /** Cancelling a cancelled order again is a no-op, so clients can retry freely. */
  cancel(id: string, reason: string | undefined, ctx: WriteContext): Promise<Order> {
    return this.change(id, ctx, (order, now) =>
      order.status === OrderStatus.CANCELLED ? null : transitionOrder(order, OrderStatus.CANCELLED, now, reason),
    );
  }

  private async load(id: string): Promise<Order> {
    const order = await this.orders.findById(id);
    if (!order) throw new OrderNotFoundError(id);
    return order;
  }

  private async insert(drafts: readonly OrderDraft[], ctx: WriteContext, channel: 'single' | 'bulk'): Promise<Order[]> {
    const changes = await this.insertOrders(drafts, ctx);
    this.metrics.recordPlaced(changes, channel);
    return changes.map((change) => change.order);
  }

  /** One statement: atomic by itself, or part of the caller's transaction when given one. */
  private async insertOrders(
    drafts: readonly OrderDraft[],
    ctx: WriteContext,
    tx?: OrdersTransaction,
  ): Promise<OrderChange[]> {
    const now = new Date();
    const changes = drafts.map((draft) => placeOrder(uuidv7(), draft, now));
    await this.orders.place(changes, ctx.correlationId, tx);
    return changes;
  }

  /** Locks the order, applies one domain change (or none), and records its event in the same transaction. */
  private async change(
    id: string,
    ctx: WriteContext,
    apply: (order: Order, now: Date) => OrderChange | null | Promise<OrderChange>,
  ): Promise<Order> {
    const { current, change } = await this.orders.transaction(async (tx) => {
      const current = await this.orders.findByIdForUpdate(tx, id);
      if (!current) throw new OrderNotFoundError(id);
      if (ctx.expectedVersions !== undefined && !ctx.expectedVersions.includes(current.version)) {
        throw new VersionMismatchError(ctx.expectedVersions, current.version);
      }
      const change = await apply(current, new Date());
      if (change) await this.orders.save(tx, change, ctx.correlationId, change.order.lines !== current.lines);
      return { current, change };
    });
    if (!change) return current;
    this.metrics.recordTransition(change);
    return change.order;
  }
}

function hashRequest(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

const dateFields = ['createdAt', 'updatedAt', 'confirmedAt', 'shippedAt', 'deliveredAt', 'cancelledAt'] as const;

/** Turns an order read back from JSON into the domain shape again. */
function reviveOrder(json: unknown): Order {
  const order = { ...(json as Record<string, unknown>) };
  for (const field of dateFields) if (typeof order[field] === 'string') order[field] = new Date(order[field]);
  return order as unknown as Order;
}
