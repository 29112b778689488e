import { Logger } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataDirLock } from './data-dir-lock';

/** PGlite (PostgreSQL in WebAssembly) behind a Postgres wire-protocol socket on a free loopback port. */
export class EmbeddedPostgres {
  private static readonly logger = new Logger('EmbeddedPostgres');

  private constructor(
    readonly url: string,
    /** Where the data lives, for people (the start-up summary). */
    readonly directory: string,
    private readonly close: () => Promise<void>,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    const lock = DataDirLock.acquire(resolve(dataDir));
    const directory = resolve(dataDir, 'pglite');
    const fresh = !existsSync(join(directory, 'PG_VERSION'));
    if (fresh) {
      this.logger.log(`Creating the embedded PostgreSQL in ${directory} (first start: a few seconds)`);
    }
    mkdirSync(directory, { recursive: true });
    const started = Date.now();
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create(directory);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres`;
    this.logger.log(
      `${fresh ? 'Created' : 'Opened'} the embedded PostgreSQL (PGlite) in ${directory} in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s. Set DATABASE_URL=postgres://... to use a PostgreSQL server.`,
    );
    return new EmbeddedPostgres(url, directory, async () => {
      await server.stop();
      await db.close();
      lock.release();
    });
  }

  stop(): Promise<void> {
    return this.close();
  }
}
