import { readFileSync } from 'node:fs';
import { orderDraft } from '../support/http';
import type { AppProcess } from '../support/app-process';
import { load } from './load';

/** The process and its children (the workers of API_WORKERS), with each one's resident memory in MB. */
function residentMemory(pid: number): { pid: number; mb: number }[] {
  const children = (() => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  })();
  return [pid, ...children].map((each) => {
    const status = readFileSync(`/proc/${each}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { pid: each, mb: Math.round(kb / 1024) };
  });
}

/**
 * `npm run bench -- soak`: the service under the comparison's load for BENCH_SOAK_MINUTES (10): each
 * minute, 30 s of placements from 32 connections and 30 s of reads by id (random among those placed)
 * from 8, both at full speed, then the resident memory of every process (the supervisor and workers of
 * API_WORKERS, or the one process), printed as it goes. Memory that grows minute after minute is a leak.
 */
export async function soak(options: { app: AppProcess; url: string; minutes: number }): Promise<string> {
  const pid = options.app.pid;
  if (pid === undefined) throw new Error('the service has no process id');
  const body = JSON.stringify(orderDraft({ customerId: 'soak' }));
  const ids: string[] = [];
  const lines = [
    '| minute | resident MB (each process) | total MB | POST orders/s | GET by id req/s |',
    '|---:|---|---:|---:|---:|',
  ];
  const print = (line: string) => (lines.push(line), console.log(line));
  const atStart = residentMemory(pid);
  print(`| 0 | ${atStart.map((p) => p.mb).join(' + ')} | ${total(atStart)} | - | - |`);
  for (let minute = 1; minute <= options.minutes; minute++) {
    const placed = await load({
      url: `${options.url}/api/orders`,
      method: 'POST',
      body,
      seconds: 30,
      connections: 32,
      onResponse: (json) => ids.length < 100_000 && ids.push((JSON.parse(json) as { id: string }).id),
    });
    const read = await load({
      url: options.url,
      seconds: 30,
      paths: () => `/api/orders/${ids[Math.floor(Math.random() * ids.length)]}`,
    });
    const memory = residentMemory(pid);
    print(
      `| ${minute} | ${memory.map((p) => p.mb).join(' + ')} | ${total(memory)} | ${Math.round(placed.rps)} | ${Math.round(read.rps)} |`,
    );
  }
  return lines.join('\n');
}

const total = (memory: { mb: number }[]) => memory.reduce((sum, p) => sum + p.mb, 0);
