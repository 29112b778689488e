import { type INestApplication, Logger, ShutdownSignal } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AppConfig } from '@app/config';
import { ShutdownDrain } from './shutdown-drain';

/**
 * Every shutdown signal closes the application: requests in flight finish, then connections close.
 * With SHUTDOWN_DRAIN_MS on an API process, SIGTERM (what orchestrators send) first drains: readiness
 * turns 503 and requests are still served for that long. Ctrl-C (SIGINT) never waits. A second
 * SIGTERM while draining ends the process at once.
 */
export function enableGracefulShutdown(app: INestApplication, config: AppConfig): void {
  if (config.shutdownDrainMs === 0) {
    app.enableShutdownHooks();
    return;
  }
  app.enableShutdownHooks(Object.values(ShutdownSignal).filter((signal) => signal !== ShutdownSignal.SIGTERM));
  process.once('SIGTERM', () => {
    void (async () => {
      try {
        await app.get(ShutdownDrain).drain(app.getHttpServer() as Server, config.shutdownDrainMs);
        // The context hands the signal to onApplicationShutdown hooks; its public type leaves it out.
        await (app as unknown as { close(signal: string): Promise<void> }).close('SIGTERM');
      } catch (error) {
        new Logger('Shutdown').error({ err: error }, 'Shutdown failed');
        process.exit(1);
      }
      process.kill(process.pid, 'SIGTERM');
    })();
  });
}
