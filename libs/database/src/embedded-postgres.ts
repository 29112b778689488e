import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** PGlite (PostgreSQL in WebAssembly) behind a Postgres wire-protocol socket on a free loopback port. */
export class EmbeddedPostgres {
  private readonly logger = new Logger('EmbeddedPostgres');

  private constructor(
    readonly url: string,
    private readonly close: () => Promise<void>,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    const directory = resolve(dataDir, 'pglite');
    mkdirSync(directory, { recursive: true });
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create(directory);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres`;
    const embedded = new EmbeddedPostgres(url, async () => {
      await server.stop();
      await db.close();
    });
    embedded.logger.log(
      `Running on embedded PostgreSQL (PGlite), data in ${directory}. ` +
        'Set DATABASE_URL=postgres://... to use a real PostgreSQL server.',
    );
    return embedded;
  }

  stop(): Promise<void> {
    return this.close();
  }
}
