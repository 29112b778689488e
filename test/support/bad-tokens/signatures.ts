import fc from 'fast-check';
import { base64url, segment, signedJwt } from '../jwt-forge';
import { Claims, Forge, Forgery } from './forgery';

const bearer = (variant: string) => (token: string) => ({ variant, authorization: `Bearer ${token}` });

/** Well-formed tokens whose signature does not hold: changed after signing, or by another key. */
export const badSignature = (forge: Forge): fc.Arbitrary<Forgery> => {
  const { kid } = forge.target.signingKey;
  const signed = forge.validClaims.map((claims) => ({ claims, parts: forge.sign(claims).split('.') }));
  const tampered = (variant: string, change: (claims: Claims) => Claims) =>
    signed.map(({ claims, parts: [h, , s] }) => bearer(variant)(`${h}.${segment(change(claims))}.${s}`));
  const withSignature = (variant: string, change: (signature: Buffer, at: number, extra: Uint8Array) => Buffer) =>
    fc.tuple(signed, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(
      ([
        {
          parts: [h, p, s],
        },
        at,
        extra,
      ]) => bearer(variant)(`${h}.${p}.${base64url(change(Buffer.from(s, 'base64url'), at, extra))}`),
    );
  return fc.oneof(
    tampered('payload tampered: roles raised to admin', (c) => ({ ...c, roles: ['admin'] })),
    tampered('payload tampered: another subject', (c) => ({ ...c, sub: `${String(c.sub)}-x` })),
    tampered('payload tampered: lifetime extended', (c) => ({ ...c, exp: Number(c.exp) + 86_400 })),
    signed.map(({ parts: [, p, s] }) =>
      bearer('header tampered: typ changed')(`${segment({ alg: 'RS256', typ: 'JWT', kid })}.${p}.${s}`),
    ),
    withSignature('a bit of the signature flipped', (sig, at) => {
      const copy = Buffer.from(sig);
      copy[at % copy.length] ^= 1 << (at % 8);
      return copy;
    }),
    withSignature('signature truncated', (sig, at) => sig.subarray(0, at % sig.length)),
    withSignature('signature with bytes appended', (sig, _at, extra) => Buffer.concat([sig, extra])),
    fc
      .tuple(signed, signed)
      .filter(([a, b]) => a.parts[1] !== b.parts[1])
      .map(([a, b]) => bearer("another token's signature")(`${a.parts[0]}.${a.parts[1]}.${b.parts[2]}`)),
    fc
      .tuple(forge.validClaims, fc.constantFrom(...forge.foreign.rsa))
      .map(([claims, key]) =>
        bearer('another key with the same kid')(signedJwt({ alg: 'RS256', typ: 'at+jwt', kid }, claims, key)),
      ),
    fc
      .tuple(forge.validClaims, fc.constantFrom(...forge.foreign.rsa))
      .map(([claims, key]) =>
        bearer('another key without kid')(signedJwt({ alg: 'RS256', typ: 'at+jwt' }, claims, key)),
      ),
  );
};

/** `alg: none` in any letter case, with no signature part, an empty one or a leftover signature. */
export const algNone = (forge: Forge): fc.Arbitrary<Forgery> => {
  const { kid } = forge.target.signingKey;
  return fc
    .record({
      claims: forge.validClaims,
      alg: fc.constantFrom('none', 'None', 'NONE', 'nOnE'),
      withKid: fc.boolean(),
      signature: fc.constantFrom('absent', 'empty', 'of the real key', 'random'),
      noise: fc.uint8Array({ minLength: 256, maxLength: 256 }),
    })
    .map(({ claims, alg, withKid, signature, noise }) => {
      const unsigned = `${segment({ alg, typ: 'at+jwt', ...(withKid ? { kid } : {}) })}.${segment(claims)}`;
      const tail = {
        absent: '',
        empty: '.',
        'of the real key': `.${forge.sign(claims).split('.')[2]}`,
        random: `.${base64url(Buffer.from(noise))}`,
      }[signature];
      return bearer(`alg ${alg}, signature ${signature}${withKid ? '' : ', no kid'}`)(`${unsigned}${tail}`);
    });
};

/**
 * Algorithm confusion: HS256/384/512 keyed with the provider's public RSA key in the forms an attacker
 * can read from the JWKS. A verifier that lets the token choose the algorithm would accept them.
 */
export const hmacWithPublicKey = (forge: Forge): fc.Arbitrary<Forgery> => {
  const { kid, publicKey, publicJwk } = forge.target.signingKey;
  const secrets: Record<string, Buffer> = {
    'SPKI PEM': Buffer.from(publicKey.export({ type: 'spki', format: 'pem' })),
    'SPKI PEM without its last newline': Buffer.from(
      String(publicKey.export({ type: 'spki', format: 'pem' })).trimEnd(),
    ),
    'PKCS#1 PEM': Buffer.from(publicKey.export({ type: 'pkcs1', format: 'pem' })),
    'SPKI DER': publicKey.export({ type: 'spki', format: 'der' }),
    'PKCS#1 DER': publicKey.export({ type: 'pkcs1', format: 'der' }),
    'JWK JSON': Buffer.from(JSON.stringify(publicJwk)),
    'modulus bytes': Buffer.from(String(publicJwk.n), 'base64url'),
    'modulus base64url': Buffer.from(String(publicJwk.n)),
  };
  return fc
    .record({
      claims: forge.validClaims,
      alg: fc.constantFrom('HS256', 'HS384', 'HS512'),
      form: fc.constantFrom(...Object.keys(secrets)),
      withKid: fc.boolean(),
    })
    .map(({ claims, alg, form, withKid }) =>
      bearer(`${alg} keyed with the ${form}${withKid ? '' : ', no kid'}`)(
        signedJwt({ alg, typ: 'at+jwt', ...(withKid ? { kid } : {}) }, claims, secrets[form]),
      ),
    );
};

/** Allowed algorithms, signed with keys the provider never published, under kids it never used. */
export const unknownKid = (forge: Forge): fc.Arbitrary<Forgery> => {
  const { kid } = forge.target.signingKey;
  const signer = fc.oneof(
    fc.constantFrom(...forge.foreign.rsa).map((key) => ({ alg: 'RS256', key })),
    fc.constantFrom(...forge.foreign.rsa).map((key) => ({ alg: 'PS256', key })),
    fc.constantFrom(...forge.foreign.ec).map((key) => ({ alg: 'ES256', key })),
    fc.constantFrom(...forge.foreign.ed25519).map((key) => ({ alg: 'EdDSA', key })),
  );
  const unknown = fc
    .oneof(
      fc.uuid(),
      fc.constant(`${kid}-next`),
      fc.constant(kid.toUpperCase()),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
    )
    .filter((candidate) => !forge.target.knownKids.includes(candidate));
  return fc
    .record({ claims: forge.validClaims, signer, kid: unknown })
    .map(({ claims, signer: { alg, key }, kid: other }) =>
      bearer(`${alg} under an unknown kid`)(signedJwt({ alg, typ: 'at+jwt', kid: other }, claims, key)),
    );
};

/** The real key and kid, but another asymmetric algorithm than the one the issuer publishes the key for (RS256). */
export const algorithmNotTheKeys = (forge: Forge): fc.Arbitrary<Forgery> => {
  const { kid, privateKey } = forge.target.signingKey;
  return fc
    .record({ claims: forge.validClaims, alg: fc.constantFrom('RS384', 'RS512', 'PS384', 'PS512') })
    .map(({ claims, alg }) => bearer(alg)(signedJwt({ alg, typ: 'at+jwt', kid }, claims, privateKey)));
};
