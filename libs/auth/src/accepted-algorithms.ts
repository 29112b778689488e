/**
 * Asymmetric signatures only: `none` and every HMAC algorithm are refused before any key is looked
 * at, which closes the door on unsigned tokens and on HS256 "signed" with a public key.
 */
export const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

/** Clocks of issuer and API may differ a little; exp and nbf are checked with this much slack. */
export const CLOCK_TOLERANCE_SECONDS = 5;
