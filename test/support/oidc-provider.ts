import { generateKeyPairSync, JsonWebKey, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider } from 'oidc-provider';
import { ClientRegistry, TOKEN_METADATA, TokenRequest } from './oidc-clients';

export type { TokenRequest } from './oidc-clients';

/** The audience the service expects by default (AUTH_AUDIENCE). */
export const ORDERS_AUDIENCE = 'orders-api';
/** Resource indicators must be absolute URIs; the audience a token gets is the rest of this one. */
const RESOURCE_PREFIX = 'urn:audience:';

/** One RS256 key of the provider, private half included so tests can forge tokens with it. */
export interface SigningKey {
  kid: string;
  alg: 'RS256';
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as the JWKS serves it. */
  publicJwk: JsonWebKey;
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1, issuing client-credentials
 * access tokens as RS256 JWTs over HTTP. Keys rotate behind the same server and issuer URL.
 */
export class OidcProvider {
  private readonly clients = new ClientRegistry();
  private handler!: ReturnType<Provider['callback']>;
  private keys: SigningKey[] = [];
  /**
   * The paths every request asked for, in order. token() goes straight to the token endpoint, so
   * requests for discovery and the JWKS are the service's (or the test's own).
   */
  readonly requests: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  static async start(): Promise<OidcProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const idp = new OidcProvider(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      idp.requests.push(req.url ?? '');
      void idp.handler(req, res);
    });
    await idp.rotateKeys();
    return idp;
  }

  get jwksUrl(): string {
    return `${this.issuer}/jwks`;
  }

  get tokenEndpoint(): string {
    return `${this.issuer}/token`;
  }

  /** The key new tokens are signed with. */
  get signingKey(): SigningKey {
    return this.keys[0];
  }

  /** Every key the JWKS publishes, the signing one first. */
  get publishedKeys(): readonly SigningKey[] {
    return this.keys;
  }

  /**
   * Signs with a new key from now on. The JWKS publishes it first and keeps the previous keys (as
   * an IdP does during a rollover), so tokens issued before stay valid; the issuer URL is unchanged.
   */
  async rotateKeys(): Promise<SigningKey> {
    this.keys = [newSigningKey(), ...this.keys];
    this.handler = this.provider().callback();
    return this.signingKey;
  }

  /** An access token from the token endpoint (client-credentials grant, HTTP Basic client auth). */
  async token(request: TokenRequest = {}): Promise<string> {
    const { clientId, clientSecret } = this.clients.register(request);
    const res = await fetch(this.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        resource: `${RESOURCE_PREFIX}${request.audience ?? ORDERS_AUDIENCE}`,
        ...(request.scope?.length ? { scope: request.scope.join(' ') } : {}),
      }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (res.status !== 200 || !body.access_token) {
      throw new Error(`The token endpoint answered ${res.status}: ${JSON.stringify(body)}`);
    }
    return body.access_token;
  }

  async discovery(): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.issuer}/.well-known/openid-configuration`);
    return (await res.json()) as Record<string, unknown>;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private provider(): Provider {
    const registry = this.clients;
    return new Provider(this.issuer, {
      adapter: registry.adapterFactory(),
      jwks: { keys: this.keys.map(privateJwk) },
      cookies: { keys: [randomBytes(32).toString('hex')] },
      extraClientMetadata: { properties: [...TOKEN_METADATA] },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => `${RESOURCE_PREFIX}${ORDERS_AUDIENCE}`,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx, indicator, client) => ({
            audience: indicator.slice(RESOURCE_PREFIX.length),
            scope: client.token_scope as string,
            accessTokenFormat: 'jwt',
            accessTokenTTL: client.token_ttl as number,
            jwt: { sign: { alg: 'RS256' } },
          }),
        },
      },
      ttl: { ClientCredentials: (_ctx, _token, client) => client.token_ttl as number },
      extraTokenClaims: (ctx) => ctx.oidc.client?.token_claims as Record<string, unknown>,
      formats: {
        customizers: {
          // oidc-provider makes the client id the subject of a client-credentials token.
          jwt: (ctx, _token, jwt) => void (jwt.payload.sub = ctx.oidc.client?.token_subject as string),
        },
      },
    });
  }
}

function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { kid, alg: 'RS256', privateKey, publicKey, publicJwk };
}

function privateJwk(key: SigningKey) {
  return { ...key.privateKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' as const };
}
