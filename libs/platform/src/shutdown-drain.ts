import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HealthChecks } from '@app/observability';

/**
 * The first step of stopping behind a load balancer: readiness turns 503 while the process goes on
 * serving, so the balancer's health checks take it out of rotation before it stops accepting
 * connections. Responses meanwhile close their connection, so keep-alive clients reconnect elsewhere.
 */
@Injectable()
export class ShutdownDrain implements OnModuleInit {
  private readonly logger = new Logger('Shutdown');
  private draining = false;

  constructor(
    private readonly health: HealthChecks,
    private readonly indicator: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.health.register(() => {
      const check = this.indicator.check('shutdown');
      return this.draining ? check.down({ message: 'draining before shutdown' }) : check.up();
    });
  }

  async drain(server: Server, ms: number): Promise<void> {
    this.draining = true;
    server.prependListener('request', (_request, response: { setHeader(name: string, value: string): void }) =>
      response.setHeader('Connection', 'close'),
    );
    this.logger.log(`Readiness is 503; serving ${ms} ms more so load balancers stop sending here`);
    await sleep(ms);
  }
}
