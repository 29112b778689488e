import type { Admin } from 'kafkajs';
import type { EventStream } from '../event-stream';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Twice the broker's default message.max.bytes (1 MiB). */
const DEAD_LETTER_MAX_BYTES = 2 * 1024 * 1024;

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
    // Dead letters wait for a person: keep them longer. A record that fit on the topic must fit here
    // too with the dlt_* headers added, or the consumer could not move past it.
    {
      topic: deadLetterTopic,
      numPartitions: 1,
      configEntries: [
        { name: 'retention.ms', value: String(30 * DAY_MS) },
        { name: 'max.message.bytes', value: String(DEAD_LETTER_MAX_BYTES) },
      ],
    },
  ].filter((wanted) => !existing.has(wanted.topic));
  if (wanted.length > 0) await admin.createTopics({ topics: wanted, waitForLeaders: true });
}
