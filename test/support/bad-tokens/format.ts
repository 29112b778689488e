import fc from 'fast-check';
import { base64url, segment, signedSegments } from '../jwt-forge';
import type { Forge, Forgery } from './forgery';

const bearer = (token: string) => `Bearer ${token}`;

/** No credentials: no header, an empty one, or the Bearer scheme with nothing after it. */
export const missing = (): fc.Arbitrary<Forgery> =>
  fc.constantFrom<Forgery>(
    { variant: 'no Authorization header', authorization: undefined },
    { variant: 'empty Authorization header', authorization: '' },
    { variant: 'Bearer without a token', authorization: 'Bearer' },
    { variant: 'bearer (lower case) without a token', authorization: 'bearer' },
    { variant: 'BEARER without a token', authorization: 'BEARER' },
  );

const SCHEMES = [
  'Basic',
  'Digest',
  'Token',
  'JWT',
  'DPoP',
  'MAC',
  'Negotiate',
  'OAuth',
  'ApiKey',
  'HOBA',
  'AWS4-HMAC-SHA256',
];

/** Credentials in a scheme other than Bearer, even around a token that would be valid. */
export const otherScheme = (forge: Forge): fc.Arbitrary<Forgery> => {
  const validToken = forge.validClaims.map((claims) => forge.sign(claims));
  const basic = fc
    .tuple(fc.stringMatching(/^[a-z]{1,12}$/), fc.string({ minLength: 1, maxLength: 20 }))
    .map(([user, password]) => Buffer.from(`${user}:${password}`).toString('base64'));
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...SCHEMES), fc.oneof(validToken, basic))
      .map(([scheme, credentials]) => ({ variant: `${scheme} scheme`, authorization: `${scheme} ${credentials}` })),
    validToken.map((token) => ({ variant: 'a valid token with no scheme', authorization: token })),
    validToken.map((token) => ({ variant: 'Bearer glued to a valid token', authorization: `Bearer${token}` })),
  );
};

/** A character that base64url has no place for, or that only standard base64 uses. */
const notBase64url = fc.constantFrom('!', '*', '~', '$', '%', '+', '/', '=', '@', ',', ';');

const insertAt = (text: string, at: number, inserted: string) =>
  `${text.slice(0, at % (text.length + 1))}${inserted}${text.slice(at % (text.length + 1))}`;

/** What JSON.parse refuses: cut-off objects, prose, bytes that are not UTF-8. */
const notJson = fc.oneof(
  fc.constantFrom<string | Buffer>(
    '{"alg":"RS256"',
    'alg=RS256',
    "{'alg':'RS256'}",
    '{alg:"RS256"}',
    'undefined',
    '',
    Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
  ),
  fc.string({ minLength: 1, maxLength: 40 }).filter((text) => !parses(text)),
);
const jsonNotAnObject = fc.constantFrom('[]', '["RS256"]', '"RS256"', 'null', '42', 'true');

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Tokens that are not a compact JWS. Those whose header and payload segments are broken are still
 * signed, over exactly those segments, with the real key: only the format is wrong.
 */
export const malformed = (forge: Forge): fc.Arbitrary<Forgery> => {
  const { kid, privateKey } = forge.target.signingKey;
  const header = segment({ alg: 'RS256', typ: 'at+jwt', kid });
  const signOver = (h: string, p: string) => signedSegments(h, p, 'RS256', privateKey);
  const parts = forge.validClaims.map((claims) => forge.sign(claims).split('.'));
  const kind = (variant: string, build: fc.Arbitrary<string>) =>
    build.map((token) => ({ variant, authorization: bearer(token) }));
  return fc.oneof(
    kind('garbage', fc.stringMatching(/^[A-Za-z0-9\-_~+/]{1,300}=*$/)),
    kind(
      'one segment',
      parts.map(([h]) => h),
    ),
    kind(
      'two segments',
      parts.map(([h, p]) => `${h}.${p}`),
    ),
    kind(
      'four segments',
      parts.map(([h, p, s]) => `${h}.${p}.${s}.${s}`),
    ),
    kind(
      'five segments',
      parts.map(([h, p, s]) => `${h}.${p}.${s}.${p}.${s}`),
    ),
    kind(
      'a trailing dot',
      parts.map((p) => `${p.join('.')}.`),
    ),
    kind(
      'a leading dot',
      parts.map((p) => `.${p.join('.')}`),
    ),
    kind(
      'an empty header segment',
      parts.map(([, p, s]) => `.${p}.${s}`),
    ),
    kind('an empty payload segment', fc.constant(signOver(header, ''))),
    kind(
      'header not base64url',
      fc.tuple(parts, notBase64url, fc.nat()).map(([[, p], c, at]) => signOver(insertAt(header, at, c), p)),
    ),
    kind(
      'payload not base64url',
      fc.tuple(parts, notBase64url, fc.nat()).map(([[, p], c, at]) => signOver(header, insertAt(p, at, c))),
    ),
    kind(
      'payload of impossible base64 length',
      parts.map(([, p]) => signOver(header, p.length % 4 === 0 ? `${p}A` : `${p}${'A'.repeat(5 - (p.length % 4))}`)),
    ),
    kind(
      'signature in standard base64 with padding',
      parts
        .map(([h, p, s]) => `${h}.${p}.${Buffer.from(s, 'base64url').toString('base64')}`)
        .filter((token) => /[+/=]/.test(token.split('.')[2])),
    ),
    kind(
      'header not JSON',
      fc.tuple(parts, notJson).map(([[, p], text]) => signOver(base64url(text), p)),
    ),
    kind(
      'header not an object',
      fc.tuple(parts, jsonNotAnObject).map(([[, p], text]) => signOver(base64url(text), p)),
    ),
    kind(
      'header without alg',
      parts.map(([, p]) => signOver(segment({ typ: 'at+jwt', kid }), p)),
    ),
    kind(
      'payload not JSON',
      notJson.map((text) => signOver(header, base64url(text))),
    ),
    kind(
      'payload not an object',
      jsonNotAnObject.map((text) => signOver(header, base64url(text))),
    ),
  );
};
