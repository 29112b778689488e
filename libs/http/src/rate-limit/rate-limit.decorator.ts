import { SetMetadata } from '@nestjs/common';
import type { RateLimitBudgetName } from '@app/config';

export const RATE_LIMIT_BUDGET = Symbol('rate-limit-budget');

/** Counts a route's requests against a budget of its own instead of the default one. */
export const RateLimitBudget = (budget: RateLimitBudgetName) => SetMetadata(RATE_LIMIT_BUDGET, budget);
