import { Module } from '@nestjs/common';
import { OrderPersistenceModule } from '../persistence/order-persistence.module';
import { OrderEventDecoder } from './order-event.decoder';
import { OrderEventsConsumer } from './order-events.consumer';

/** The worker side of the feature: its outbox (for the relay) and the consumer that builds the timeline. */
@Module({
  imports: [OrderPersistenceModule],
  providers: [OrderEventDecoder, OrderEventsConsumer],
  exports: [OrderEventsConsumer, OrderPersistenceModule],
})
export class OrderEventsModule {}
