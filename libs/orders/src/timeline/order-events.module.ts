import { Module } from '@nestjs/common';
import { OrderPersistenceModule } from '../persistence/order-persistence.module';
import { OrderEventDecoder } from './order-event.decoder';
import { OrderEventsConsumer } from './order-events.consumer';
import { TimelineRetentionPurger } from './timeline-retention.purger';

/**
 * The worker side of the feature: its outbox (for the relay), the consumer that builds the timeline,
 * and the purge that keeps the timeline and its ledger within their retention.
 */
@Module({
  imports: [OrderPersistenceModule],
  providers: [OrderEventDecoder, OrderEventsConsumer, TimelineRetentionPurger],
  exports: [OrderEventsConsumer, OrderPersistenceModule],
})
export class OrderEventsModule {}
