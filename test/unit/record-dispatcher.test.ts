import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter } from 'prom-client';
import { RecordConsumer, RecordDispatcher, type ConsumedRecord, type ConsumeResult } from '@app/messaging';

const record = (offset: string, value: Buffer | null): ConsumedRecord => ({
  topic: 'orders',
  partition: 3,
  offset,
  key: 'order-1',
  value,
  headers: {},
});

/** Answers "dead letter" for records without a value, "processed" otherwise. */
class NullIsPoison extends RecordConsumer {
  async consume(record: ConsumedRecord): Promise<ConsumeResult> {
    return record.value === null
      ? { outcome: 'dead-letter', reason: 'invalid-json', error: 'no value' }
      : { outcome: 'processed' };
  }
}

class DeadLetters {
  readonly sent: { offset: string; value: Buffer | null; reason: string }[] = [];
  failing = false;
  async send(record: ConsumedRecord, reason: string): Promise<void> {
    if (this.failing) throw new Error('dead-letter topic unavailable');
    this.sent.push({ offset: record.offset, value: record.value, reason });
  }
}

function dispatcher(deadLetters: DeadLetters) {
  const consumed = new Counter({ name: 'test_consumed', help: 'h', labelNames: ['result'], registers: [] });
  return new RecordDispatcher(new NullIsPoison(), deadLetters as never, consumed);
}

describe('RecordDispatcher (logic, consumer and dead letters faked)', () => {
  it('dead-letters a record its consumer cannot use, raw, and lets the partition move on', async () => {
    const deadLetters = new DeadLetters();
    const dispatch = dispatcher(deadLetters);
    assert.equal(await dispatch.dispatch(record('7', null)), 'dead-lettered');
    assert.equal(await dispatch.dispatch(record('8', Buffer.from('{}'))), 'processed');
    assert.deepEqual(deadLetters.sent, [{ offset: '7', value: null, reason: 'invalid-json' }]);
    assert.deepEqual(dispatch.stuckPartitions(), []);
  });

  it('reports the partition stuck while a record can be neither handled nor dead-lettered, until it moves', async () => {
    const deadLetters = new DeadLetters();
    const dispatch = dispatcher(deadLetters);
    deadLetters.failing = true;
    await assert.rejects(dispatch.dispatch(record('7', null)), /dead-letter topic unavailable/);
    const [stuck] = dispatch.stuckPartitions();
    assert.equal(stuck.partition, 'orders/3');
    assert.match(stuck.error, /dead-letter topic unavailable/);
    deadLetters.failing = false;
    assert.equal(await dispatch.dispatch(record('7', null)), 'dead-lettered');
    assert.deepEqual(dispatch.stuckPartitions(), []);
  });

  it('retries a record that failed for a reason not its own, holding back only its key, in order', async () => {
    const failingKeys = new Set(['order-a']);
    const handled: string[] = [];
    const consumer = new (class extends RecordConsumer {
      async consume(record: ConsumedRecord): Promise<ConsumeResult> {
        if (failingKeys.has(record.key!)) throw new Error('database unavailable');
        handled.push(`${record.key}@${record.offset}`);
        return { outcome: 'processed' };
      }
    })();
    const consumed = new Counter({ name: 'test_consumed_3', help: 'h', labelNames: ['result'], registers: [] });
    const dispatch = new RecordDispatcher(consumer, new DeadLetters() as never, consumed);
    const keyed = (offset: string, key: string) => ({ ...record(offset, Buffer.from('{}')), key });
    try {
      const a1 = await dispatch.submit(keyed('1', 'order-a'));
      const b2 = await dispatch.submit(keyed('2', 'order-b'));
      const a3 = await dispatch.submit(keyed('3', 'order-a'));
      const b4 = await dispatch.submit(keyed('4', 'order-b'));
      assert.equal(await b2.done, 'processed');
      assert.equal(await b4.done, 'processed');
      assert.deepEqual(handled, ['order-b@2', 'order-b@4']);
      failingKeys.clear();
      assert.equal(await a1.done, 'processed');
      assert.equal(await a3.done, 'processed');
      assert.deepEqual(handled, ['order-b@2', 'order-b@4', 'order-a@1', 'order-a@3']);
    } finally {
      dispatch.onModuleDestroy();
    }
  });

  it(
    'lets the partition move on while its records are handled, one record of a key at a time',
    { timeout: 5_000 },
    async () => {
      const started: string[] = [];
      const finish = new Map<string, () => void>();
      const consumer = new (class extends RecordConsumer {
        async consume(record: ConsumedRecord): Promise<ConsumeResult> {
          started.push(`${record.key}@${record.offset}`);
          await new Promise<void>((resolve) => finish.set(record.offset, resolve));
          return { outcome: 'processed' };
        }
      })();
      const consumed = new Counter({ name: 'test_consumed_4', help: 'h', labelNames: ['result'], registers: [] });
      const dispatch = new RecordDispatcher(consumer, new DeadLetters() as never, consumed);
      const keyed = (offset: string, key: string) => ({ ...record(offset, Buffer.from('{}')), key });
      const a1 = await dispatch.submit(keyed('1', 'order-a'));
      const b2 = await dispatch.submit(keyed('2', 'order-b'));
      const a3 = await dispatch.submit(keyed('3', 'order-a'));
      assert.deepEqual(started, ['order-a@1', 'order-b@2'], 'a later key starts at once; the same key waits');
      finish.get('2')!();
      assert.equal(await b2.done, 'processed');
      finish.get('1')!();
      assert.equal(await a1.done, 'processed');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(started, ['order-a@1', 'order-b@2', 'order-a@3']);
      finish.get('3')!();
      assert.equal(await a3.done, 'processed');
    },
  );
});
