import type { RateLimitState } from './rate-limit-headers';

/** A caller spent its budget: 429 with Retry-After (see genericProblem). */
export class RateLimitExceeded extends Error {
  constructor(readonly state: RateLimitState) {
    super(
      `More than ${state.limit} requests in ${state.windowSeconds} s against the "${state.budget}" limit; ` +
        `retry in ${state.resetSeconds} s`,
    );
  }
}
