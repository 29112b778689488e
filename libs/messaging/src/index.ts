export {
  RecordConsumer,
  type ConsumedRecord,
  type ConsumeOutcome,
  type ConsumeResult,
  type DeadLetterReason,
} from './consumer/consumed-record';
export { RecordDispatcher, RETRY_DELAYS_MS } from './consumer/record-dispatcher';
export { type DeadLetter, deadLetterId } from './dead-letters/dead-letter';
export {
  replayDeadLetters,
  type ReplayLedger,
  type ReplayReport,
  type ReplayRequest,
} from './dead-letters/replay-dead-letters';
export { EVENT_STREAM, type EventStream, type OutboxRecord, type OutgoingMessage } from './event-stream';
export { kafkaConsumerOptions } from './kafka/kafka-consumer-options';
export { consumedRecordFrom } from './kafka/kafka-record';
export { ensureTopics, type TopicSettings } from './kafka/kafka-topics';
export { kafkaClientConfig } from './kafka/kafka-client-config';
export { KafkaUnavailableError } from './kafka/kafka-topics.initializer';
export { OffsetCommitter } from './kafka/offset-committer';
export { MessagingModule, type MessagingOptions } from './messaging.module';
export { OutboxRelay, RELAY_BATCH_SIZE } from './outbox/outbox-relay.service';
export { OutboxSignal } from './outbox/outbox-signal';
export { OutboxStore } from './outbox/outbox-store';
export { RelayLeadership } from './outbox/relay-leadership';
