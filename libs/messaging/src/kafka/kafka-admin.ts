import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';

/** A question unanswered by then fails (and the connection is replaced): a probe must not hang. */
const ANSWER_TIMEOUT_MS = 2_000;

/**
 * The process's one admin connection to Kafka, for the questions asked again and again (readiness,
 * consumer lag): connected on first use and kept, so each question is a round trip, not a new
 * connection. A question that fails or goes unanswered for 2 s replaces the connection for the next one.
 */
@Injectable()
export class KafkaAdmin implements OnModuleDestroy {
  private admin: Admin | null = null;

  constructor(private readonly kafka: Kafka) {}

  async ask<T>(question: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = (this.admin ??= this.kafka.admin());
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        admin.connect().then(() => question(admin)), // a no-op once connected
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer within 2 s')), ANSWER_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      if (this.admin === admin) void this.drop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.drop();
  }

  private async drop(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}
