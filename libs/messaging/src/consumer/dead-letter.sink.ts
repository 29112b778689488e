import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IHeaders, Message } from 'kafkajs';
import { KafkaProducer } from '../kafka/kafka-producer';
import { EVENT_STREAM, type EventStream } from '../event-stream';
import type { ConsumedRecord, DeadLetterReason } from './consumed-record';

/** Where records go that cannot be processed, so their partition can move on. */
export abstract class DeadLetterSink {
  abstract send(record: ConsumedRecord, reason: DeadLetterReason, error: string): Promise<void>;
}

/** Dead letters written together: a produce request per poison record would slow the valid ones. */
const LINGER_MS = 5;
/** Bytes per produce request, under the broker's default limit of a record batch (1 MiB). */
const MAX_BATCH_BYTES = 900_000;

interface Pending {
  message: Message;
  bytes: number;
  written: () => void;
  failed: (error: unknown) => void;
}

/**
 * The dead-letter topic: the original key, value and headers, plus headers saying why and where
 * from. Records sent within a few milliseconds of each other go in one produce request, in order.
 */
@Injectable()
export class KafkaDeadLetterSink extends DeadLetterSink {
  private batch: Pending[] = [];
  private batchBytes = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly producer: KafkaProducer,
    @Inject(EVENT_STREAM) private readonly stream: EventStream,
  ) {
    super();
  }

  send(record: ConsumedRecord, reason: DeadLetterReason, error: string): Promise<void> {
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
    const message: Message = { key: record.key, value: record.value, headers };
    const bytes = (record.value?.length ?? 0) + JSON.stringify(headers).length + (record.key?.length ?? 0);
    return new Promise((written, failed) => {
      if (this.batch.length > 0 && this.batchBytes + bytes > MAX_BATCH_BYTES) void this.flush();
      this.batch.push({ message, bytes, written, failed });
      this.batchBytes += bytes;
      this.timer ??= setTimeout(() => void this.flush(), LINGER_MS);
    });
  }

  private async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    if (batch.length === 0) return;
    try {
      await this.producer.send(
        this.stream.deadLetterTopic,
        batch.map(({ message }) => message),
      );
      for (const pending of batch) pending.written();
    } catch (error) {
      for (const pending of batch) pending.failed(error);
    }
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
