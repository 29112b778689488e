import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HealthChecks } from '@app/observability';
import { KafkaAdmin } from './kafka-admin';

/**
 * Readiness of a process that uses Kafka: the cluster answers within 2 s, over the process's admin
 * connection (a probe opens none). Probes that arrive while one is in flight share its answer.
 */
@Injectable()
export class KafkaHealth implements OnModuleInit {
  private inFlight: Promise<unknown> | null = null;

  constructor(
    private readonly admin: KafkaAdmin,
    private readonly health: HealthChecks,
    private readonly indicator: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.health.register(() => this.check());
  }

  private async check() {
    const check = this.indicator.check('kafka');
    this.inFlight ??= this.admin.ask((admin) => admin.describeCluster()).finally(() => (this.inFlight = null));
    try {
      await this.inFlight;
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
