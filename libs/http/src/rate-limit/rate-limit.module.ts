import { Module } from '@nestjs/common';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiters } from './rate-limiters';

/**
 * Request budgets per caller, for the controllers that apply RateLimitGuard. A controller's guards
 * run after the global ones, so the caller is authenticated (or known to be anonymous) by then.
 */
@Module({
  providers: [RateLimiters, RateLimitGuard],
  exports: [RateLimiters, RateLimitGuard],
})
export class RateLimitModule {}
