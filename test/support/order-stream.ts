import { orderDraft, request } from './http';

/**
 * A steady stream of orders through the API, as clients would send them: each order is placed,
 * then confirmed, so every order has two events whose order matters.
 */
export class OrderStream {
  /** Orders placed and confirmed: two events each. */
  readonly orders: string[] = [];
  /** Requests the API did not accept (status and path), which a client would have seen fail. */
  readonly refused: string[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  private constructor(
    private readonly baseUrl: string,
    private readonly pauseMs: number,
  ) {
    this.loop = this.run();
  }

  static start(baseUrl: string, pauseMs = 100): OrderStream {
    return new OrderStream(baseUrl, pauseMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const placed = await request(this.baseUrl, 'POST', '/api/orders', { body: orderDraft() });
      if (placed.status !== 201) this.refused.push(`${placed.status} POST /api/orders`);
      else {
        const path = `/api/orders/${placed.body.id}/confirm`;
        const confirmed = await request(this.baseUrl, 'POST', path);
        if (confirmed.status === 200) this.orders.push(placed.body.id);
        else this.refused.push(`${confirmed.status} POST ${path}`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
    }
  }
}
