import fc from 'fast-check';
import { expired, notYetValid, wrongAudience, wrongIssuer } from './bad-tokens/claims';
import { Forge, forgeFor, Forgery, ForgeryTarget } from './bad-tokens/forgery';
import { malformed, missing, otherScheme } from './bad-tokens/format';
import { algNone, badSignature, algorithmNotTheKeys, hmacWithPublicKey, unknownKid } from './bad-tokens/signatures';

export type { ForgeryTarget } from './bad-tokens/forgery';
export { forgeFor } from './bad-tokens/forgery';

const CATEGORIES = {
  missing,
  'other-scheme': otherScheme,
  malformed,
  'bad-signature': badSignature,
  'alg-none': algNone,
  'hmac-with-public-key': hmacWithPublicKey,
  'unknown-kid': unknownKid,
  'algorithm-not-the-keys': algorithmNotTheKeys,
  expired,
  'not-yet-valid': notYetValid,
  'wrong-issuer': wrongIssuer,
  'wrong-audience': wrongAudience,
} satisfies Record<string, (forge: Forge) => fc.Arbitrary<Forgery>>;

export type BadTokenCategory = keyof typeof CATEGORIES;

/** A request the service must refuse with 401: why, and the Authorization header it carries. */
export interface BadToken extends Forgery {
  category: BadTokenCategory;
}

/** The categories that present no Bearer token at all: their challenge names no error (RFC 6750 3.1). */
const WITHOUT_BEARER_TOKEN: ReadonlySet<BadTokenCategory> = new Set(['missing', 'other-scheme']);

export const presentsBearerToken = (item: BadToken): boolean => !WITHOUT_BEARER_TOKEN.has(item.category);

/** The token of a `Bearer <token>` header (the scheme in any letter case), else undefined. */
export const bearerTokenOf = (authorization: string | undefined): string | undefined =>
  /^Bearer +(\S+)$/i.exec(authorization ?? '')?.[1];

/**
 * Requests that must all be refused, `perCategory` drawn from each category (fewer where a category
 * has fewer distinct values), each header value once. Reproducible from `seed`, apart from the keys
 * and the clock.
 */
export function badTokens(target: ForgeryTarget, { seed = 20_240_601, perCategory = 100 } = {}): BadToken[] {
  const forge = forgeFor(target);
  const seen = new Set<string | undefined>();
  return Object.entries(CATEGORIES).flatMap(([category, arbitrary], index) =>
    fc
      .sample(arbitrary(forge), { seed: seed + index, numRuns: perCategory })
      // fetch trims header values: tell apart only what the service can tell apart.
      .filter(({ authorization }) => !seen.has(authorization?.trim()) && seen.add(authorization?.trim()))
      .map((forgery) => ({ category: category as BadTokenCategory, ...forgery })),
  );
}

/** How many of each category, for a test's diagnostics. */
export function countByCategory(items: readonly { category: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { category } of items) counts[category] = (counts[category] ?? 0) + 1;
  return counts;
}
