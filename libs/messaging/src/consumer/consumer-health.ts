import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HealthChecks } from '@app/observability';
import { RecordDispatcher } from './record-dispatcher';

/** Readiness fails while a partition is stuck on a record that can be neither handled nor dead-lettered. */
@Injectable()
export class ConsumerHealth implements OnModuleInit {
  constructor(
    private readonly dispatcher: RecordDispatcher,
    private readonly health: HealthChecks,
    private readonly indicator: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.health.register(() => {
      const check = this.indicator.check('consumer');
      const stuck = this.dispatcher.stuckPartitions();
      return stuck.length === 0 ? check.up() : check.down({ stuck });
    });
  }
}
