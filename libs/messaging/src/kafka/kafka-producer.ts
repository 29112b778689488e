import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { CompressionTypes, Kafka, Message, Partitioners, Producer } from 'kafkajs';

/**
 * An idempotent producer that waits for every in-sync replica. After a failure it is rebuilt,
 * so a broker that comes back gets a fresh connection and producer id.
 */
@Injectable()
export class KafkaProducer implements OnModuleDestroy {
  private readonly logger = new Logger(KafkaProducer.name);
  private producer: Promise<Producer> | null = null;

  constructor(private readonly kafka: Kafka) {}

  async send(topic: string, messages: Message[]): Promise<void> {
    const producer = await this.connected();
    try {
      await producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None });
    } catch (error) {
      await this.reset();
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.reset();
  }

  private connected(): Promise<Producer> {
    this.producer ??= this.connect();
    return this.producer;
  }

  private async connect(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // murmur2, as Java clients: a key lands on the partition any Kafka client would pick.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
      return producer;
    } catch (error) {
      this.producer = null;
      throw error;
    }
  }

  private async reset(): Promise<void> {
    const pending = this.producer;
    this.producer = null;
    await pending
      ?.then((producer) => producer.disconnect())
      .catch((error: unknown) => this.logger.warn({ err: error }, 'producer disconnect failed'));
  }
}
