import fc from 'fast-check';
import type { Claims, Forge, Forgery } from './forgery';

/** The service allows 5 s of clock skew; every time claim here misses by minutes at least. */
const MINUTE = 60;
const offset = fc.integer({ min: 6 * MINUTE, max: 30 * 24 * 60 * MINUTE });

/** Signed with the real key and kid, as the provider would, with one claim wrong. */
const signedWith = (forge: Forge, variant: string, claims: Claims): Forgery => ({
  variant,
  authorization: `Bearer ${forge.sign(claims)}`,
});

const without = (claims: Claims, name: string): Claims => {
  const { [name]: _dropped, ...rest } = claims;
  return rest;
};

export const expired = (forge: Forge): fc.Arbitrary<Forgery> =>
  fc.tuple(forge.validClaims, offset, fc.boolean()).map(([claims, ago, withNbf]) => {
    const exp = forge.now - ago;
    const issued = { ...claims, iat: exp - 300, exp, ...(withNbf ? { nbf: exp - 300 } : {}) };
    return signedWith(forge, `exp ${Math.round(ago / MINUTE)} min ago`, issued);
  });

export const notYetValid = (forge: Forge): fc.Arbitrary<Forgery> =>
  fc.tuple(forge.validClaims, offset).map(([claims, ahead]) => {
    const nbf = forge.now + ahead;
    return signedWith(forge, `nbf in ${Math.round(ahead / MINUTE)} min`, { ...claims, nbf, exp: nbf + 300 });
  });

export const wrongIssuer = (forge: Forge): fc.Arbitrary<Forgery> => {
  const { issuer } = forge.target;
  const url = new URL(issuer);
  const near = [
    `${issuer}/`,
    issuer.replace('http:', 'https:'),
    issuer.replace('127.0.0.1', 'localhost'),
    `${url.protocol}//${url.hostname}:${Number(url.port) + 1}`,
    `${issuer}/realms/orders`,
    issuer.toUpperCase(),
    'urn:orders:self-issued',
    'https://accounts.google.com',
    '',
  ];
  const issuers = fc.oneof(fc.constantFrom(...near), fc.webUrl()).filter((candidate) => candidate !== issuer);
  return fc.oneof(
    fc
      .tuple(forge.validClaims, issuers)
      .map(([claims, iss]) => signedWith(forge, `iss ${JSON.stringify(iss)}`, { ...claims, iss })),
    forge.validClaims.map((claims) => signedWith(forge, 'no iss', without(claims, 'iss'))),
    forge.validClaims.map((claims) => signedWith(forge, 'iss as an array', { ...claims, iss: [issuer] })),
  );
};

export const wrongAudience = (forge: Forge): fc.Arbitrary<Forgery> => {
  const { audience, issuer } = forge.target;
  const near = [
    `${audience} `,
    audience.toUpperCase(),
    `${audience}-staging`,
    audience.replace('-', '_'),
    'orders',
    'account',
    issuer,
    '',
  ];
  const audiences = fc
    .oneof(fc.constantFrom(...near), fc.stringMatching(/^[a-z][a-z0-9:/._-]{0,40}$/))
    .filter((candidate) => candidate !== audience);
  return fc.oneof(
    fc
      .tuple(forge.validClaims, audiences)
      .map(([claims, aud]) => signedWith(forge, `aud ${JSON.stringify(aud)}`, { ...claims, aud })),
    fc
      .tuple(forge.validClaims, fc.uniqueArray(audiences, { minLength: 0, maxLength: 3 }))
      .map(([claims, aud]) => signedWith(forge, `aud list without ${audience}`, { ...claims, aud })),
    forge.validClaims.map((claims) => signedWith(forge, 'no aud', without(claims, 'aud'))),
  );
};
