import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { OrdersTransaction } from './orders.repository';

export interface StoredResponse {
  requestHash: string;
  response: unknown;
}

/** Idempotency keys of each principal and the response first given for each, kept until they expire. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims the key inside the caller's transaction. A concurrent claim of the same key waits on the
   * primary key until this transaction ends, so only one request ever does the work.
   */
  async claim(
    tx: OrdersTransaction,
    principal: string,
    key: string,
    requestHash: string,
    ttlSeconds: number,
  ): Promise<boolean> {
    await tx.manager.query(`DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND expires_at <= now()`, [
      principal,
      key,
    ]);
    const claimed: unknown[] = await tx.manager.query(
      `INSERT INTO idempotency_keys (principal, key, request_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       ON CONFLICT (principal, key) DO NOTHING
       RETURNING key`,
      [principal, key, requestHash, ttlSeconds],
    );
    return claimed.length === 1;
  }

  async saveResponse(tx: OrdersTransaction, principal: string, key: string, response: unknown): Promise<void> {
    await tx.manager.query(`UPDATE idempotency_keys SET response = $3 WHERE principal = $1 AND key = $2`, [
      principal,
      key,
      JSON.stringify(response),
    ]);
  }

  async find(principal: string, key: string): Promise<StoredResponse | null> {
    const rows: { request_hash: string; response: unknown }[] = await this.dataSource.query(
      `SELECT request_hash, response FROM idempotency_keys WHERE principal = $1 AND key = $2 AND expires_at > now()`,
      [principal, key],
    );
    return rows[0] ? { requestHash: rows[0].request_hash, response: rows[0].response } : null;
  }

  async deleteExpired(): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE expires_at <= now()`,
    );
    return affected;
  }
}
