import { Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository';
import { OutboxSignal } from './outbox-signal';

/** Shared by the orders module (writes) and the relay (reads), so both see one signal. */
@Module({
  providers: [OutboxRepository, OutboxSignal],
  exports: [OutboxRepository, OutboxSignal],
})
export class OutboxModule {}
