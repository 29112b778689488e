import { constants, createHmac, KeyObject, sign } from 'node:crypto';

/**
 * Builds compact JWS tokens byte by byte with node:crypto, so a test can sign what no JOSE library
 * would: any header, any algorithm name, segments that are not base64url or not JSON.
 */
export const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');
export const segment = (value: unknown): string => base64url(JSON.stringify(value));

/** The signature of `signingInput` under `alg` (a JWS algorithm name) with `key`. */
export function signatureOf(alg: string, key: KeyObject | Buffer, signingInput: string): Buffer {
  const data = Buffer.from(signingInput);
  const bits = alg.slice(-3);
  if (alg.startsWith('HS')) return createHmac(`sha${bits}`, key).update(data).digest();
  if (!(key instanceof KeyObject)) throw new TypeError(`${alg} needs a private key`);
  if (alg === 'EdDSA') return sign(null, data, key);
  if (alg.startsWith('RS')) return sign(`sha${bits}`, data, key);
  if (alg.startsWith('PS')) {
    const pss = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 };
    return sign(`sha${bits}`, data, pss);
  }
  if (alg.startsWith('ES')) return sign(`sha${bits}`, data, { key, dsaEncoding: 'ieee-p1363' });
  throw new TypeError(`no signer for ${alg}`);
}

/** `header.payload.signature`, the signature made with `key` under the header's `alg`. */
export function signedJwt(header: { alg: string } & Record<string, unknown>, claims: unknown, key: KeyObject | Buffer) {
  return signedSegments(segment(header), segment(claims), header.alg, key);
}

/** Signs the two segments exactly as given, even when they are not valid base64url or JSON. */
export function signedSegments(header: string, payload: string, alg: string, key: KeyObject | Buffer): string {
  const input = `${header}.${payload}`;
  return `${input}.${base64url(signatureOf(alg, key, input))}`;
}
