import { Injectable } from '@nestjs/common';
import type { OrderChange } from './domain/order';

type Listener = (changes: readonly OrderChange[]) => Promise<void> | void;

/**
 * Announces order changes once their transaction has committed, before the response is sent: the
 * read cache forgets them and the relay in this process wakes up, without the use cases knowing.
 */
@Injectable()
export class OrderChangeFeed {
  private readonly listeners: Listener[] = [];

  onCommitted(listener: Listener): void {
    this.listeners.push(listener);
  }

  async committed(changes: readonly OrderChange[]): Promise<void> {
    if (changes.length === 0) return;
    for (const listener of this.listeners) await listener(changes);
  }
}
