import { Injectable } from '@nestjs/common';

/** Wakes the relay: after a commit in this process, or on a NOTIFY from another one. */
@Injectable()
export class OutboxSignal {
  private waiters: (() => void)[] = [];
  private pending = false;

  notify(): void {
    this.pending = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Resolves on the next notify (or at once if one came since the last wait) with true, or after
   * `timeoutMs` with false.
   */
  wait(timeoutMs: number): Promise<boolean> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    }).then((notified) => {
      this.pending = false;
      return notified;
    });
  }
}
