import { Inject, Injectable } from '@nestjs/common';
import type { Message } from 'kafkajs';
import { EventPublisher } from '../event-publisher';
import { EVENT_STREAM, type EventStream, type OutboxRecord, type OutgoingMessage } from '../event-stream';
import { KafkaProducer } from './kafka-producer';

/**
 * Bytes of keys, values and headers per produce request. kafkajs sends one record batch per
 * partition per request, and the broker refuses a batch over `message.max.bytes` (1 MiB by
 * default): below this budget no partition's batch can reach it, however the keys fall.
 */
const MAX_REQUEST_BYTES = 900_000;
/** Record framing (lengths, offsets, timestamps) on top of the bytes counted. */
const RECORD_OVERHEAD_BYTES = 64;

@Injectable()
export class KafkaEventPublisher extends EventPublisher {
  constructor(
    private readonly producer: KafkaProducer,
    @Inject(EVENT_STREAM) private readonly stream: EventStream,
  ) {
    super();
  }

  /** One request per chunk, in order: a later chunk is sent only once the one before is acknowledged. */
  async publish(records: readonly OutboxRecord[]): Promise<void> {
    const messages = records.map((record) => this.stream.toMessage(record));
    for (const chunk of chunksOf(messages)) await this.producer.send(this.stream.topic, chunk);
  }
}

function chunksOf(messages: OutgoingMessage[]): Message[][] {
  const chunks: Message[][] = [];
  let chunk: Message[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size =
      RECORD_OVERHEAD_BYTES +
      Buffer.byteLength(message.key) +
      Buffer.byteLength(message.value) +
      headerBytes(message.headers);
    if (chunk.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function headerBytes(headers: Record<string, string>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) bytes += name.length + Buffer.byteLength(value) + 8;
  return bytes;
}
