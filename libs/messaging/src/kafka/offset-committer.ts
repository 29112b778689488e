import { BeforeApplicationShutdown, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { KafkaContext } from '@nestjs/microservices';
import type { Consumer, TopicPartitionOffsetAndMetadata } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';

const COMMIT_INTERVAL_MS = 1_000;
const DRAIN_TIMEOUT_MS = 10_000;

/** One partition's handled and still pending offsets. */
class PartitionProgress {
  readonly pending = new Set<bigint>();
  private next: bigint | null = null;
  private committed: bigint | null = null;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  settle(offset: bigint): void {
    this.pending.delete(offset);
    if (this.next === null || offset + 1n > this.next) this.next = offset + 1n;
  }

  /** The offset to commit now, if it moved: the lowest pending one, or past the highest handled. */
  takeCommittable(): TopicPartitionOffsetAndMetadata[] {
    const lowestPending = [...this.pending].reduce<bigint | null>(
      (low, o) => (low === null || o < low ? o : low),
      null,
    );
    const at = lowestPending ?? this.next;
    if (at === null || (this.committed !== null && at <= this.committed)) return [];
    this.committed = at;
    return [{ topic: this.topic, partition: this.partition, offset: at.toString() }];
  }
}

/**
 * Commits the offsets of handled records once a second. kafkajs' own autoCommit also commits after
 * every fetched batch, a coordinator round trip per batch that, at a few hundred events a second,
 * was most of the consumer's latency and a good part of the broker's CPU.
 *
 * Only handled records (event in the database or dead-lettered) are committed, and never past a
 * record that is still being retried. A crash replays what was not committed, which the
 * processed-event ledger absorbs. On shutdown the
 * consumer is paused, records in flight finish, and their offsets are committed before Nest
 * disconnects the consumer.
 */
@Injectable()
export class OffsetCommitter implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(OffsetCommitter.name);
  private readonly partitions = new Map<string, PartitionProgress>();
  private readonly timer = setInterval(() => void this.commit(), COMMIT_INTERVAL_MS).unref();
  private consumer: Consumer | null = null;
  private inFlight = 0;

  /**
   * Runs the handler of one record. The handler returns once the partition may move on, with a
   * `done` promise; the record's offset becomes committable when `done` resolves, and no later
   * offset of its partition is committed before it.
   */
  async track(context: KafkaContext, handle: () => Promise<{ done: Promise<unknown> }>): Promise<void> {
    this.consumer = context.getConsumer();
    const progress = this.progressOf(context.getTopic(), context.getPartition());
    const offset = BigInt(context.getMessage().offset);
    progress.pending.add(offset);
    this.inFlight++;
    let done: Promise<unknown>;
    try {
      ({ done } = await handle());
    } catch (error) {
      progress.pending.delete(offset); // kafkajs delivers it again
      this.inFlight--;
      throw error;
    }
    void done
      .then(
        () => progress.settle(offset),
        () => undefined, // not handled: stays pending, so it is delivered again after a restart
      )
      .finally(() => this.inFlight--);
  }

  async commit(): Promise<void> {
    if (!this.consumer) return;
    const offsets = [...this.partitions.values()].flatMap((progress) => progress.takeCommittable());
    if (offsets.length === 0) return;
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (error) {
      // During a rebalance, say. The partitions' next owner starts from the previous commit:
      // some events come again, which the ledger turns into no-ops.
      this.logger.warn({ err: error, offsets }, 'committing consumer offsets failed');
    }
  }

  private progressOf(topic: string, partition: number): PartitionProgress {
    const key = `${topic}:${partition}`;
    let progress = this.partitions.get(key);
    if (!progress) this.partitions.set(key, (progress = new PartitionProgress(topic, partition)));
    return progress;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Runs before Nest disconnects the consumer: stop taking records, finish, commit. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.consumer) return;
    this.consumer.pause(
      [...new Set([...this.partitions.values()].map(({ topic }) => topic))].map((topic) => ({ topic })),
    );
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (this.inFlight > 0 && Date.now() < deadline) await sleep(10);
    await this.commit();
  }
}
