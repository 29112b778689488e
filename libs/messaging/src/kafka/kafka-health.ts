import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Kafka } from 'kafkajs';
import { HealthChecks } from '@app/observability';

const CHECK_TIMEOUT_MS = 2_000;

/** Readiness of a process that uses Kafka: the cluster answers within 2 s. */
@Injectable()
export class KafkaHealth implements OnModuleInit {
  constructor(
    private readonly kafka: Kafka,
    private readonly health: HealthChecks,
    private readonly indicator: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.health.register(() => this.check());
  }

  private async check() {
    const check = this.indicator.check('kafka');
    const admin = this.kafka.admin();
    try {
      await Promise.race([
        admin.connect().then(() => admin.describeCluster()),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('no answer within 2 s')), CHECK_TIMEOUT_MS).unref(),
        ),
      ]);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    } finally {
      void admin.disconnect().catch(() => undefined);
    }
  }
}
