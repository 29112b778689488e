import type { Admin } from 'kafkajs';
import type { EventStream } from '../event-stream';

export interface TopicSettings {
  partitions: number;
  /** Undefined: as many replicas as brokers, up to 3. */
  replicationFactor?: number;
  /** Undefined: 2 from three replicas on (one broker may fail without refusing writes), else 1. */
  minInsyncReplicas?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Twice the broker's default message.max.bytes (1 MiB). */
const DEAD_LETTER_MAX_BYTES = 2 * 1024 * 1024;

/** Creates the topics explicitly (and leaves existing ones alone), so their shape is ours, not the broker default. */
export async function ensureTopics(
  admin: Admin,
  { topic, deadLetterTopic }: Pick<EventStream, 'topic' | 'deadLetterTopic'>,
  settings: TopicSettings,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const { replicationFactor, minInsyncReplicas } = await replication(admin, settings);
  const durability = [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }];
  const wanted = [
    {
      topic,
      numPartitions: settings.partitions,
      replicationFactor,
      configEntries: [{ name: 'retention.ms', value: String(7 * DAY_MS) }, ...durability],
    },
    // Dead letters wait for a person: keep them longer. A record that fit on the topic must fit here
    // too with the dlt_* headers added, or the consumer could not move past it.
    {
      topic: deadLetterTopic,
      numPartitions: 1,
      replicationFactor,
      configEntries: [
        ...durability,
        { name: 'retention.ms', value: String(30 * DAY_MS) },
        { name: 'max.message.bytes', value: String(DEAD_LETTER_MAX_BYTES) },
      ],
    },
  ].filter((wanted) => !existing.has(wanted.topic));
  if (wanted.length > 0) await admin.createTopics({ topics: wanted, waitForLeaders: true });
}

async function replication(admin: Admin, settings: TopicSettings) {
  const replicationFactor = settings.replicationFactor ?? Math.min(3, (await admin.describeCluster()).brokers.length);
  const minInsyncReplicas = settings.minInsyncReplicas ?? (replicationFactor >= 3 ? 2 : 1);
  return { replicationFactor, minInsyncReplicas };
}
