// The consumer under a flood of poison records: do valid events keep flowing, and how soon is every
// poison record on the dead-letter topic?
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { TestDatabase } from '../support/test-database';

export interface PoisonPlan {
  kafkaBrokers: string;
  /** Poison records, spread evenly over `seconds`. */
  count: number;
  seconds: number;
}

/** Three kinds of poison, in turn: not JSON, an event about an order that does not exist, a schema violation. */
function poisonRecord(i: number, run: string) {
  const id = randomUUID();
  const headers = { ce_id: randomUUID(), ce_type: 'ORDER_PLACED', ce_specversion: '1.0', bench_run: run };
  const order = { id, customerId: 'poison', status: 'PLACED', currency: 'EUR', lines: [], totalAmount: 0 };
  const value = [
    'not json {',
    JSON.stringify({ orderId: id, previousStatus: null, order }),
    JSON.stringify({ orderId: id, previousStatus: null, order: { ...order, totalAmount: 'lots' } }),
  ][i % 3];
  return { key: id, value, headers };
}

/** Produces the poison while valid traffic runs; resolves with how many were dead-lettered, and how long after the last was produced. */
export async function floodWithPoison(
  plan: PoisonPlan,
): Promise<{ produced: number; deadLettered: number; secondsAfterLast: number }> {
  const kafka = new Kafka({
    clientId: 'bench-poison',
    brokers: plan.kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const run = randomUUID();
  const deadLetters = kafka.consumer({ groupId: `bench-dlt-${run}` });
  let deadLettered = 0;
  let lastDeadLetter = 0;
  await deadLetters.connect();
  await deadLetters.subscribe({ topic: 'orders.DLT', fromBeginning: true });
  await deadLetters.run({
    eachMessage: async ({ message }) => {
      if (message.headers?.bench_run?.toString() !== run) return;
      deadLettered++;
      lastDeadLetter = performance.now();
    },
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const started = performance.now();
  try {
    const perTick = Math.max(1, Math.round(plan.count / (plan.seconds * 10)));
    for (let sent = 0; sent < plan.count; sent += perTick) {
      const batch = Array.from({ length: Math.min(perTick, plan.count - sent) }, (_, i) => poisonRecord(sent + i, run));
      await producer.send({ topic: 'orders', messages: batch });
      const due = started + ((sent + perTick) / plan.count) * plan.seconds * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
    const lastProduced = performance.now();
    const deadline = lastProduced + 60_000;
    while (deadLettered < plan.count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return { produced: plan.count, deadLettered, secondsAfterLast: Math.max(0, lastDeadLetter - lastProduced) / 1000 };
  } finally {
    await producer.disconnect();
    await deadLetters.disconnect();
  }
}

/** Valid events whose order has fewer timeline rows than events: lost ones. */
export async function lostEvents(db: TestDatabase, since: Date): Promise<number> {
  const [{ lost }] = await db.query<{ lost: string }>(
    `SELECT count(*) AS lost FROM outbox o
     WHERE o.created_at >= $1 AND NOT EXISTS (SELECT 1 FROM order_timeline t WHERE t.event_id = o.event_id)`,
    [since],
  );
  return Number(lost);
}
