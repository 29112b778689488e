import { OidcProvider } from '../support/oidc-provider';
import { load, type LoadResult } from './load';

interface Api {
  url: string;
  stop(): Promise<void>;
}

/**
 * What authentication costs a request: the cached GET by id on two API instances of the same data,
 * one without authentication and one taking tokens of a real OpenID Connect provider, measured in
 * alternating rounds (the machine's drift hits both alike). Medians of the rounds.
 */
export async function authCostScenario(options: {
  start: (env: Record<string, string>) => Promise<Api>;
  id: string;
  seconds: number;
  rounds?: number;
}): Promise<{ scenario: string; result: LoadResult }[]> {
  const idp = await OidcProvider.start();
  const open = await options.start({ AUTH_DISABLED: 'true' });
  const guarded = await options.start({ AUTH_ISSUER: idp.issuer });
  try {
    const token = await idp.token({ roles: ['support'], lifetimeSeconds: 3_600 });
    const path = `/api/orders/${options.id}`;
    const variants = [
      { scenario: 'GET /api/orders/:id, same id, no token (AUTH_DISABLED)', url: `${open.url}${path}` },
      {
        scenario: 'GET /api/orders/:id, same id, bearer token (AUTH_ISSUER)',
        url: `${guarded.url}${path}`,
        headers: { authorization: `Bearer ${token}` },
      },
    ];
    for (const variant of variants) await load({ ...variant, seconds: 3 });
    const results: LoadResult[][] = variants.map(() => []);
    for (let round = 0; round < (options.rounds ?? 3); round++) {
      const order = round % 2 ? [1, 0] : [0, 1];
      for (const i of order) results[i].push(await load({ ...variants[i], seconds: options.seconds }));
    }
    return variants.map((variant, i) => ({ scenario: variant.scenario, result: median(results[i]) }));
  } finally {
    await guarded.stop();
    await open.stop();
    await idp.stop();
  }
}

function median(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)];
}
