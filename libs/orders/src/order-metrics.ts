import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { Metric, scrapeGauge } from '@app/observability';
import type { OrderChange } from './domain/order';
import { nextStatuses } from './domain/order-state-machine';
import { OrderStatus } from './domain/order-status';
import { OrdersRepository } from './persistence/orders.repository';

/** Reasons counted by name; any other free text counts as "other" so the label stays bounded. */
export const CANCELLATION_REASON_CODES = [
  'customer_request',
  'out_of_stock',
  'payment_failed',
  'fraud_suspected',
  'duplicate',
];

export function cancellationReasonLabel(reason: string | null): string {
  if (!reason) return 'unspecified';
  const code = reason
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return CANCELLATION_REASON_CODES.includes(code) ? code : 'other';
}

/** Business metrics of committed order changes. */
@Injectable()
export class OrderMetrics implements OnModuleInit {
  constructor(
    @InjectMetric(Metric.ordersCreated) private readonly created: Counter<'channel'>,
    @InjectMetric(Metric.orderTransitions) private readonly transitions: Counter<'from' | 'to'>,
    @InjectMetric(Metric.orderCancellations) private readonly cancellations: Counter<'reason'>,
    @InjectMetric(Metric.orderValue) private readonly value: Histogram<'currency'>,
    private readonly orders: OrdersRepository,
  ) {}

  onModuleInit(): void {
    // Every known series exists from the start, so its first increment shows in rate() and increase().
    for (const channel of ['single', 'bulk']) this.created.inc({ channel }, 0);
    for (const from of Object.values(OrderStatus)) {
      for (const to of nextStatuses(from)) this.transitions.inc({ from, to }, 0);
    }
    for (const reason of [...CANCELLATION_REASON_CODES, 'other', 'unspecified']) this.cancellations.inc({ reason }, 0);
    scrapeGauge(
      Metric.ordersByStatus,
      'Orders by current status',
      ['status'],
      async (gauge) => {
        const counts = await this.orders.countByStatus();
        for (const status of Object.values(OrderStatus)) gauge.set({ status }, counts[status] ?? 0);
      },
      'shared',
    );
  }

  recordPlaced(changes: readonly OrderChange[], channel: 'single' | 'bulk'): void {
    this.created.inc({ channel }, changes.length);
    for (const { order } of changes) this.value.observe({ currency: order.currency }, order.totalAmount);
  }

  recordTransition({ order, previousStatus }: OrderChange): void {
    if (!previousStatus || previousStatus === order.status) return;
    this.transitions.inc({ from: previousStatus, to: order.status });
    if (order.status === OrderStatus.CANCELLED) {
      this.cancellations.inc({ reason: cancellationReasonLabel(order.cancellationReason) });
    }
  }
}
