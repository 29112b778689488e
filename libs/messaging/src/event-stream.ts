/** An event waiting in a feature's outbox (or just taken from it) for publication. */
export interface OutboxRecord {
  /** Position in the outbox: grows with each insert, so it orders events by commit. */
  id: string;
  eventId: string;
  /** The Kafka key: every event of one aggregate lands on one partition, in order. */
  key: string;
  type: string;
  payload: unknown;
  correlationId: string | null;
  createdAt: Date;
}

/** A record on its way to Kafka. */
export interface OutgoingMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** What a feature tells messaging about its event stream: values, so messaging knows no feature. */
export interface EventStream {
  topic: string;
  deadLetterTopic: string;
  /** The consumer group of this service's own consumer. */
  consumerGroup: string;
  /** The PostgreSQL NOTIFY channel on which the feature's writes announce committed outbox rows. */
  notifyChannel: string;
  /** The Kafka record of an outbox event: key, envelope headers, value. */
  toMessage(record: OutboxRecord): OutgoingMessage;
}

export const EVENT_STREAM = Symbol('EVENT_STREAM');
