import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Admin, Kafka } from 'kafkajs';
import { HealthChecks } from '@app/observability';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Readiness of a process that uses Kafka: the cluster answers within 2 s. One admin client stays
 * connected between probes (a probe is one metadata round trip, not a new connection), and probes
 * that arrive while one is in flight share its answer. After a failure the client is replaced.
 */
@Injectable()
export class KafkaHealth implements OnModuleInit, OnModuleDestroy {
  private admin: Admin | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly health: HealthChecks,
    private readonly indicator: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.health.register(() => this.check());
  }

  async onModuleDestroy(): Promise<void> {
    await this.drop();
  }

  private async check() {
    const check = this.indicator.check('kafka');
    this.inFlight ??= this.ask().finally(() => (this.inFlight = null));
    try {
      await this.inFlight;
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  private async ask(): Promise<void> {
    const admin = (this.admin ??= this.kafka.admin());
    try {
      await Promise.race([
        admin.connect().then(() => admin.describeCluster()),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('no answer within 2 s')), CHECK_TIMEOUT_MS).unref(),
        ),
      ]);
    } catch (error) {
      void this.drop();
      throw error;
    }
  }

  private async drop(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}
