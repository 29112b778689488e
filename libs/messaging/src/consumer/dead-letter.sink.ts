import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IHeaders } from 'kafkajs';
import { KafkaProducer } from '../kafka/kafka-producer';
import { EVENT_STREAM, type EventStream } from '../event-stream';
import type { ConsumedRecord, DeadLetterReason } from './consumed-record';

/** Where records go that cannot be processed, so their partition can move on. */
export abstract class DeadLetterSink {
  abstract send(record: ConsumedRecord, reason: DeadLetterReason, error: string): Promise<void>;
}

/** The dead-letter topic: the original key, value and headers, plus headers saying why and where from. */
@Injectable()
export class KafkaDeadLetterSink extends DeadLetterSink {
  constructor(
    private readonly producer: KafkaProducer,
    @Inject(EVENT_STREAM) private readonly stream: EventStream,
  ) {
    super();
  }

  async send(record: ConsumedRecord, reason: DeadLetterReason, error: string): Promise<void> {
    const headers: IHeaders = {
      ...originalHeaders(record.headers),
      dlt_reason: reason,
      dlt_error: error.slice(0, 1_000),
      dlt_original_topic: record.topic,
      dlt_original_partition: String(record.partition),
      dlt_original_offset: record.offset,
      dlt_failed_at: new Date().toISOString(),
      dlt_consumer_group: this.stream.consumerGroup,
    };
    await this.producer.send(this.stream.deadLetterTopic, [{ key: record.key, value: record.value, headers }]);
  }
}

/** Embedded mode has no dead-letter topic: the record is logged in full instead. */
@Injectable()
export class LoggingDeadLetterSink extends DeadLetterSink {
  private readonly logger = new Logger('DeadLetters');

  async send(record: ConsumedRecord, reason: DeadLetterReason, error: string): Promise<void> {
    this.logger.error(
      { reason, error, key: record.key, value: record.value?.toString('utf8'), headers: record.headers },
      'dead letter',
    );
  }
}

function originalHeaders(headers: Record<string, unknown>): IHeaders {
  const copy: IHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    copy[name] = Buffer.isBuffer(value) || typeof value === 'string' ? value : JSON.stringify(value);
  }
  return copy;
}
