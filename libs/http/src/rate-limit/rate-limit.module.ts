import { Module } from '@nestjs/common';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiters } from './rate-limiters';

/**
 * Request budgets per caller, for the controllers that apply RateLimitGuard. A controller's guards
 * run after the global ones, so the caller is authenticated (or known to be anonymous) by then.
 */
@Module({
  providers: [RateLimiters, RateLimitGuard],
  // A controller's guard is built in the controller's module: what it injects must be exported too.
  exports: [RateLimiters, RateLimitGuard],
})
export class RateLimitModule {}
