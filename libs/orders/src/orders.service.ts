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
import type { ChangeOrigin } from './persistence/order-outbox';
import { OrderListQuery, OrdersRepository, OrdersTransaction } from './persistence/orders.repository';
import { CacheRead, OrderReadCache } from './read-cache/order-read-cache';
import { OrderTimelineRepository, TimelineEntry } from './timeline/order-timeline.repository';

/**
 * The one customer whose orders a caller may see and change; null: every order. An order outside
 * the scope does not exist for the caller (404, never 403: its existence is not for them to know).
 */
export type CustomerScope = string | null;

/** Who asked for a write: the request id and the actor travel into the events it causes. */
export interface WriteContext extends ChangeOrigin {
  customerScope: CustomerScope;
  /** Versions If-Match allows (undefined: any); the write fails with 412 unless the order is at one of them. */
  expectedVersions?: readonly number[];
}

export interface OrderPage {
  items: Order[];
  nextCursor: string | null;
}

export type OrderFilter = Omit<OrderListQuery, 'after'> & { cursor?: string };

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

  /** An Idempotency-Key belongs to the principal that sent it: the same key from another is another request. */
  async place(
    draft: OrderDraft,
    ctx: WriteContext,
    idempotencyKey?: string,
  ): Promise<{ order: Order; replayed: boolean }> {
    if (!idempotencyKey) {
      const [order] = await this.insert([draft], ctx, 'single');
      return { order, replayed: false };
    }

    const principal = ctx.actor.subject;
    const requestHash = hashRequest(draft);
    const ttl = this.config.idempotencyKeyTtlSeconds;
    const placed = await this.orders.transaction(async (tx) => {
      if (!(await this.idempotency.claim(tx, principal, idempotencyKey, requestHash, ttl))) return null;
      const changes = await this.insertOrders([draft], ctx, tx);
      await this.idempotency.saveResponse(tx, principal, idempotencyKey, changes[0].order);
      return changes;
    });
    if (placed) {
      this.metrics.recordPlaced(placed, 'single');
      return { order: placed[0].order, replayed: false };
    }

    const stored = await this.idempotency.find(principal, idempotencyKey);
    if (!stored) return this.place(draft, ctx, idempotencyKey); // expired between the two reads
    if (stored.requestHash !== requestHash) throw new IdempotencyKeyReuseError(idempotencyKey);
    return { order: reviveOrder(stored.response), replayed: true };
  }

  /** All or nothing: one transaction and a handful of statements for the whole batch. */
  placeMany(drafts: readonly OrderDraft[], ctx: WriteContext): Promise<Order[]> {
    return this.insert(drafts, ctx, 'bulk');
  }

  /** One order, through the read cache; a cached order is checked against the scope like a loaded one. */
  async get(id: string, scope: CustomerScope): Promise<CacheRead<Order>> {
    const read = await this.cache.order(id, () => this.load(id));
    assertInScope(read.value, scope);
    return read;
  }

  /** A page of orders, newest first, through the read cache: a customer's pages hold its own orders only. */
  list(filter: OrderFilter, scope: CustomerScope): Promise<CacheRead<OrderPage>> {
    const scoped = scope === null ? filter : { ...filter, customerId: scope };
    return this.cache.page(scoped, async () => {
      const { cursor, ...query } = scoped;
      const items = await this.orders.list({ ...query, after: cursor ? OrderCursor.decode(cursor) : undefined });
      const last = items.at(-1);
      return { items, nextCursor: items.length === query.limit && last ? OrderCursor.encode(last) : null };
    });
  }

  /** The order's timeline, as the worker consumed its events. */
  async events(id: string, scope: CustomerScope): Promise<TimelineEntry[]> {
    assertInScope(await this.load(id), scope);
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
    await this.orders.place(changes, ctx, tx);
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
      assertInScope(current, ctx.customerScope, id);
      if (ctx.expectedVersions !== undefined && !ctx.expectedVersions.includes(current.version)) {
        throw new VersionMismatchError(ctx.expectedVersions, current.version);
      }
      const change = await apply(current, new Date());
      if (change) await this.orders.save(tx, change, ctx, change.order.lines !== current.lines);
      return { current, change };
    });
    if (!change) return current;
    this.metrics.recordTransition(change);
    return change.order;
  }
}

/** An order the caller may not see is, for the caller, an order that does not exist. */
function assertInScope(order: Order | null, scope: CustomerScope, id = order?.id ?? ''): asserts order is Order {
  if (!order || (scope !== null && order.customerId !== scope)) throw new OrderNotFoundError(id);
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
