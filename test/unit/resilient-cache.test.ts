import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Cache } from 'cache-manager';
import { Counter, Histogram } from 'prom-client';
import { CACHE_TIMEOUT_MS, ResilientCache } from '@app/cache';

// A store over a real socket to another process: its answers arrive as I/O, like Redis's, and keep
// arriving while this process is busy.
let echo: ChildProcess;
let socket: Socket;

before(async () => {
  echo = spawn(process.execPath, [
    '-e',
    "require('net').createServer((s) => s.pipe(s)).listen(0, '127.0.0.1', function () { console.log(this.address().port) })",
  ]);
  const [port] = await once(echo.stdout!, 'data');
  socket = connect(Number(String(port)), '127.0.0.1');
  await once(socket, 'connect');
});

after(() => {
  socket.destroy();
  echo.kill();
});

/** mget answers what the echo server sends back; `afterAsking` runs once the question is on its way. */
function echoStore(afterAsking: () => void): Cache {
  const store = new EventEmitter() as EventEmitter & Partial<Cache>;
  store.mget = (async (keys: string[]) => {
    const answer = once(socket, 'data');
    socket.write(JSON.stringify(keys));
    afterAsking();
    return JSON.parse(String((await answer)[0])).map(() => 'cached');
  }) as Cache['mget'];
  return store as Cache;
}

const metrics = () =>
  [
    new Counter({ name: 'errors', help: '-', labelNames: ['operation'], registers: [] }),
    new Histogram({ name: 'duration', help: '-', labelNames: ['operation'], registers: [] }),
  ] as const;

describe('the cache client on a busy event loop', () => {
  it('takes an answer that arrived in time, even when the loop reads it only after the timeout is due', async () => {
    // The loop is held longer than the timeout right after asking: the answer is already waiting when
    // the timer fires, as under load.
    const cache = new ResilientCache(
      echoStore(() => {
        const until = performance.now() + CACHE_TIMEOUT_MS * 1.5;
        while (performance.now() < until);
      }),
      ...metrics(),
    );
    assert.deepEqual(await cache.mget(['k']), ['cached']);
    assert.equal(cache.degraded, null);
  });

  it('still gives up on a store that does not answer', async () => {
    const silent = new EventEmitter() as EventEmitter & Partial<Cache>;
    silent.mget = (() => new Promise(() => undefined)) as Cache['mget'];
    const cache = new ResilientCache(silent as Cache, ...metrics());
    assert.deepEqual(await cache.mget(['k']), [undefined]);
    assert.match(cache.degraded ?? '', /no answer within 100 ms/);
  });
});
