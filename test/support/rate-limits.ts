/**
 * The settings of a service that no suite or benchmark should see throttled: they send far more
 * than a client would (the fuzzer sends thousands of requests a minute from one address). Suites
 * that test the limits set their own.
 */
export const NO_RATE_LIMITS = { RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_BULK_PER_MINUTE: '0' };
