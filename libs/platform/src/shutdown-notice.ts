import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Says at once what the process does when told to stop (SIGTERM, Ctrl-C), and when it is done. */
@Injectable()
export class ShutdownNotice implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private readonly notice = (signal: NodeJS.Signals) =>
    this.logger.log(`${signal} received: finishing the work in flight, then closing connections`);

  onApplicationBootstrap(): void {
    for (const signal of SIGNALS) process.once(signal, this.notice);
  }

  onApplicationShutdown(signal?: string): void {
    for (const name of SIGNALS) process.removeListener(name, this.notice);
    if (signal) this.logger.log('Stopped');
  }
}
