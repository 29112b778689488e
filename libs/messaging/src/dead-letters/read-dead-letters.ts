import type { Kafka } from 'kafkajs';
import { type DeadLetter, headerText } from './dead-letter';

const READ_TIMEOUT_MS = 60_000;

/**
 * Every record of `topic` written since `since`, up to the end the topic had when called. The group
 * only satisfies the broker's ACLs: positions come from timestamps and nothing is committed.
 */
export async function readDeadLetters(
  kafka: Kafka,
  topic: string,
  groupId: string,
  since: Date,
): Promise<DeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const [starts, ends] = await Promise.all([
    admin.fetchTopicOffsetsByTimestamp(topic, since.getTime()),
    admin.fetchTopicOffsets(topic),
  ]).finally(() => admin.disconnect());

  const ranges = new Map<number, { from: bigint; end: bigint }>();
  for (const { partition, high } of ends) {
    const start = starts.find((s) => s.partition === partition)?.offset ?? '-1';
    const from = BigInt(start) < 0n ? BigInt(high) : BigInt(start);
    if (from < BigInt(high)) ranges.set(partition, { from, end: BigInt(high) });
  }
  if (ranges.size === 0) return [];

  const letters: DeadLetter[] = [];
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${topic} not read to its end within 60 s`)), READ_TIMEOUT_MS);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const range = ranges.get(partition);
            const offset = BigInt(message.offset);
            if (!range || offset < range.from) return;
            if (offset < range.end)
              letters.push({
                topic,
                partition,
                offset: message.offset,
                timestamp: new Date(Number(message.timestamp)),
                key: message.key,
                value: message.value,
                headers: headerText(message.headers),
              });
            if (offset + 1n >= range.end) ranges.delete(partition);
            if (ranges.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    for (const [partition, { from }] of ranges) consumer.seek({ topic, partition, offset: String(from) });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
