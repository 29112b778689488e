import { Injectable, OnModuleInit } from '@nestjs/common';
import { isDatabaseUnavailable } from '@app/database';
import { problem, ProblemMappers } from '@app/http';

/** Seconds a client is asked to wait before retrying while the database is unreachable. */
const RETRY_AFTER_SECONDS = 2;

/** A database outage or saturation is 503 with Retry-After, not a 500: the request was fine. */
@Injectable()
export class DatabaseProblems implements OnModuleInit {
  constructor(private readonly problems: ProblemMappers) {}

  onModuleInit(): void {
    this.problems.register((error) =>
      isDatabaseUnavailable(error)
        ? problem(
            503,
            'database-unavailable',
            'Database unavailable',
            'The database cannot be reached right now. Retry in a few seconds; writes are safe to retry with an Idempotency-Key.',
            { retryAfter: RETRY_AFTER_SECONDS },
          )
        : undefined,
    );
  }
}
