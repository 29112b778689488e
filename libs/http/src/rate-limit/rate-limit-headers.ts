/** A budget's state after a request: how many are left and when the window starts again. */
export interface RateLimitState {
  budget: string;
  limit: number;
  windowSeconds: number;
  remaining: number;
  resetSeconds: number;
}

/**
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers): the policy a response
 * was counted against, and what is left of it.
 */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'RateLimit-Policy': `"${state.budget}";q=${state.limit};w=${state.windowSeconds}`,
    RateLimit: `"${state.budget}";r=${state.remaining};t=${state.resetSeconds}`,
  };
}
