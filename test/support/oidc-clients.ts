import { createHash, randomBytes } from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** What a token should say about its holder; each combination is one client of the provider. */
export interface TokenRequest {
  /** The `roles` claim; left out when not given. */
  roles?: string[];
  /** The customer id; with the service's default AUTH_CUSTOMER_CLAIM (`sub`) it is the token's subject. */
  customer?: string;
  /** The `sub` claim; defaults to `customer`, else one subject per client. */
  subject?: string;
  /** Scopes to request, granted as the space-separated `scope` claim. */
  scope?: string[];
  /** More claims (e.g. Keycloak's `realm_access`); they never replace iss, aud, sub, exp or iat. */
  claims?: Record<string, unknown>;
  /** The token's `aud`; `orders-api` unless given. */
  audience?: string;
  /** Lifetime in seconds; 300 unless given. */
  lifetimeSeconds?: number;
}

/** The client metadata the provider's hooks read to shape a client's tokens. */
export const TOKEN_METADATA = ['token_subject', 'token_claims', 'token_scope', 'token_ttl'] as const;

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
}

/**
 * Confidential clients allowed the client-credentials grant, registered on demand: one per distinct
 * token request, so concurrent requests for different roles never share (or race on) a client.
 */
export class ClientRegistry {
  private readonly metadata = new Map<string, AdapterPayload>();

  register(request: TokenRequest): RegisteredClient {
    const clientId = `client-${createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 16)}`;
    const existing = this.metadata.get(clientId);
    if (existing) return { clientId, clientSecret: existing.client_secret as string };
    const clientSecret = randomBytes(24).toString('base64url');
    this.metadata.set(clientId, {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      token_subject: request.subject ?? request.customer ?? clientId,
      token_claims: { ...request.claims, ...(request.roles ? { roles: request.roles } : {}) },
      token_scope: (request.scope ?? []).join(' '),
      token_ttl: request.lifetimeSeconds ?? 300,
    });
    return { clientId, clientSecret };
  }

  /** The provider's storage: clients come from this registry, everything else lives in memory. */
  adapterFactory(): (model: string) => Adapter {
    return (model) => (model === 'Client' ? new RegistryAdapter(this.metadata) : new MemoryAdapter());
  }
}

class MemoryAdapter implements Adapter {
  protected readonly items = new Map<string, AdapterPayload>();

  async upsert(id: string, payload: AdapterPayload): Promise<void> {
    this.items.set(id, payload);
  }
  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.items.get(id);
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async destroy(id: string): Promise<void> {
    this.items.delete(id);
  }
  async revokeByGrantId(): Promise<void> {}
}

class RegistryAdapter extends MemoryAdapter {
  constructor(private readonly clients: Map<string, AdapterPayload>) {
    super();
  }
  override async find(id: string): Promise<AdapterPayload | undefined> {
    return this.clients.get(id);
  }
}
