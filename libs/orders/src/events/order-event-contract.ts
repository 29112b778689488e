import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Metric } from '@app/observability';
import { OrderEventType } from '../domain/order-event-type';
import { describeSchemaErrors, loadEventValidators } from './event-schemas';
import type { OrderEventData } from './order-event';

/** An event about to be written that breaks its own published schema: a bug in this service. */
export class EventContractViolation extends Error {
  constructor(
    readonly type: OrderEventType,
    readonly problems: string,
  ) {
    super(`${type} event breaks its schema (docs/events): ${problems}`);
  }
}

/**
 * Checks every event against its schema in docs/events before it enters the outbox, so no event
 * leaves that consumers would have to dead-letter. Outside production a violation fails the write
 * (loudly, in tests); in production the change still commits and the violation is logged and
 * counted, for an alert.
 */
@Injectable()
export class OrderEventContract {
  private readonly validators = loadEventValidators();
  private readonly logger = new Logger(OrderEventContract.name);
  private readonly enforce: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectMetric(Metric.eventContractViolations) private readonly violations: Counter<'type'>,
  ) {
    this.enforce = config.eventContract === 'enforce';
    for (const type of Object.values(OrderEventType)) this.violations.inc({ type }, 0);
  }

  check(type: OrderEventType, data: OrderEventData): void {
    const { orderId } = data;
    const validate = this.validators[type];
    if (validate(data)) return;
    const violation = new EventContractViolation(type, describeSchemaErrors(validate));
    this.violations.inc({ type });
    if (this.enforce) throw violation;
    this.logger.error(`${violation.message} (order ${orderId}); published anyway`);
  }
}
