import { orderDraft } from '../support/http';
import type { AppProcess } from '../support/app-process';
import { HaProxy } from '../support/haproxy';
import { load, type LoadResult } from './load';

interface StartedApi {
  api: AppProcess;
  url: string;
}

/**
 * `npm run bench -- scale`: one API instance against two behind HAProxy (the balancer of the scaled
 * topology test), with the Redis cache: reads by id and placements, each for `seconds` from 16
 * connections. One instance straight and one behind HAProxy show what the balancer itself costs.
 * On a 2-core machine the two instances share the cores with HAProxy, PostgreSQL and the load
 * generator: the rows say what a second process adds there, not what a second machine would.
 */
export async function scaleScenarios(options: {
  start: () => Promise<StartedApi>;
  ids: string[];
  seconds: number;
}): Promise<{ scenario: string; result: LoadResult }[]> {
  const apis = [await options.start(), await options.start()];
  const port = (api: StartedApi) => new URL(api.url).port;
  const balancers: HaProxy[] = [];
  const rows: { scenario: string; result: LoadResult }[] = [];
  try {
    const single = await HaProxy.start({ 'api-1': Number(port(apis[0])) });
    const both = await HaProxy.start({ 'api-1': Number(port(apis[0])), 'api-2': Number(port(apis[1])) });
    balancers.push(single, both);
    await Promise.all([single.waitFor('api-1', 'UP'), both.waitFor('api-1', 'UP'), both.waitFor('api-2', 'UP')]);

    const byId = () => `/api/orders/${options.ids[Math.floor(Math.random() * options.ids.length)]}`;
    const body = JSON.stringify(orderDraft({ customerId: 'scale-bench' }));
    for (const [label, url] of [
      ['1 API instance, no balancer', apis[0].url],
      ['1 API instance behind HAProxy', single.url],
      ['2 API instances behind HAProxy', both.url],
    ] as const) {
      await load({ url, seconds: 2, paths: byId, connections: 16 }); // warm-up: JIT and cache
      rows.push({
        scenario: `GET /api/orders/:id, ${label}`,
        result: await load({ url, seconds: options.seconds, paths: byId, connections: 16 }),
      });
      rows.push({
        scenario: `POST /api/orders, ${label}`,
        result: await load({
          url: `${url}/api/orders`,
          seconds: options.seconds,
          method: 'POST',
          body,
          connections: 16,
        }),
      });
    }
  } finally {
    await Promise.all(balancers.map((balancer) => balancer.stop()));
    await Promise.all(apis.map(({ api }) => api.stop()));
  }
  return rows;
}
