import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiters } from './rate-limiters';

/** Request budgets per caller on every route that does not opt out (see NotRateLimited). */
@Module({
  providers: [RateLimiters, { provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitModule {}
