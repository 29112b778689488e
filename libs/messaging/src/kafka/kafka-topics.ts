import type { Admin } from 'kafkajs';
import type { EventStream } from '../event-stream';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Creates the topics explicitly (and leaves existing ones alone), so their shape is ours, not the broker default. */
export async function ensureTopics(
  admin: Admin,
  { topic, deadLetterTopic }: Pick<EventStream, 'topic' | 'deadLetterTopic'>,
  partitions: number,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [
    {
      topic,
      numPartitions: partitions,
      configEntries: [{ name: 'retention.ms', value: String(7 * DAY_MS) }],
    },
    // Dead letters wait for a person: keep them longer.
    {
      topic: deadLetterTopic,
      numPartitions: 1,
      configEntries: [{ name: 'retention.ms', value: String(30 * DAY_MS) }],
    },
  ].filter((wanted) => !existing.has(wanted.topic));
  if (wanted.length > 0) await admin.createTopics({ topics: wanted, waitForLeaders: true });
}
