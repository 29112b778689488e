import type { OutboxRecord } from './event-stream';

/** Where the relay hands events: Kafka, or (embedded mode) the consumer in this process. */
export abstract class EventPublisher {
  abstract publish(records: readonly OutboxRecord[]): Promise<void>;
}
