import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EVENT_STREAM, type EventStream } from '../event-stream';
import { OutboxSignal } from './outbox-signal';

// Any fixed number: every relay instance contends for the same session-level advisory lock.
const RELAY_LOCK_KEY = 724_311_001;

/**
 * One relay publishes at a time, so events of one order can never overtake each other. The leader
 * holds a PostgreSQL advisory lock on its own connection, which also LISTENs for new outbox rows;
 * if the process dies the connection drops, the lock is released and a standby takes over.
 */
@Injectable()
export class RelayLeadership implements OnModuleDestroy {
  private readonly logger = new Logger(RelayLeadership.name);
  private client: Client | null = null;
  private leader = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signal: OutboxSignal,
    @Inject(EVENT_STREAM) private readonly stream: EventStream,
  ) {}

  /** True while this instance may publish. Embedded PGlite serves one process only, so it always leads. */
  async acquire(): Promise<boolean> {
    if (this.config.database.embedded) return true;
    if (this.leader && this.client) return true;
    try {
      this.client ??= await this.connect();
      const [{ locked }] = (await this.client.query('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY]))
        .rows;
      if (locked && !this.leader) this.logger.log('This instance now leads the outbox relay');
      this.leader = locked;
    } catch (error) {
      this.logger.warn({ err: error }, 'Relay leadership check failed');
      await this.release();
    }
    return this.leader;
  }

  async onModuleDestroy(): Promise<void> {
    await this.release();
  }

  private async connect(): Promise<Client> {
    const { url } = this.dataSource.options as { url: string };
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'Relay leadership connection lost');
      this.leader = false;
      this.client = null;
    });
    client.on('notification', () => this.signal.notify());
    await client.connect();
    await client.query(`LISTEN ${this.stream.notifyChannel}`);
    return client;
  }

  private async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.leader = false;
    await client?.end().catch(() => undefined);
  }
}
