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
});
