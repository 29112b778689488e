import type { Admin } from 'kafkajs';
import { ORDERS_DLT_TOPIC, ORDERS_TOPIC } from '../order-event';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Creates the topics explicitly (and leaves existing ones alone), so their shape is ours, not the broker default. */
export async function ensureTopics(admin: Admin, partitions: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [
    {
      topic: ORDERS_TOPIC,
      numPartitions: partitions,
      configEntries: [{ name: 'retention.ms', value: String(7 * DAY_MS) }],
    },
    // Dead letters wait for a person: keep them longer.
    {
      topic: ORDERS_DLT_TOPIC,
      numPartitions: 1,
      configEntries: [{ name: 'retention.ms', value: String(30 * DAY_MS) }],
    },
  ].filter(({ topic }) => !existing.has(topic));
  if (wanted.length > 0) await admin.createTopics({ topics: wanted, waitForLeaders: true });
}
