import { setTimeout as sleep } from 'node:timers/promises';
import { orderDraft } from './http';

/** What clients saw: every request is either answered (status) or failed outright (network error). */
export interface LoadResult {
  sent: number;
  /** Requests answered 2xx. */
  succeeded: number;
  /** Anything else, each described (e.g. "502", "fetch failed: other side closed"). */
  failures: string[];
  /** Ids of the orders created. */
  created: string[];
}

/**
 * Clients placing orders through `baseUrl` at a steady pace (`clients` loops, each pausing
 * `pauseMs` between requests) until stopped, as a shop's checkout would during a deploy.
 */
export class SteadyLoad {
  private running = true;
  private readonly loops: Promise<void>[];
  readonly result: LoadResult = { sent: 0, succeeded: 0, failures: [], created: [] };

  constructor(
    private readonly baseUrl: string,
    clients: number,
    private readonly pauseMs: number,
  ) {
    this.loops = Array.from({ length: clients }, () => this.loop());
  }

  async stop(): Promise<LoadResult> {
    this.running = false;
    await Promise.all(this.loops);
    return this.result;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.result.sent++;
      try {
        const response = await fetch(`${this.baseUrl}/api/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(orderDraft({ customerId: 'steady-load' })),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await response.text();
        if (response.status === 201) {
          this.result.succeeded++;
          this.result.created.push((JSON.parse(text) as { id: string }).id);
        } else this.result.failures.push(`${response.status} ${text.slice(0, 200)}`);
      } catch (error) {
        const cause = (error as { cause?: { message?: string } }).cause?.message;
        this.result.failures.push(`${(error as Error).message}${cause ? `: ${cause}` : ''}`);
      }
      await sleep(this.pauseMs);
    }
  }
}
