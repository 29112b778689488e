import { Gauge, register } from 'prom-client';

/**
 * A gauge whose value is read when Prometheus scrapes (queue depths, pool sizes, lag). Re-creating it
 * replaces an earlier one of the same name, so the latest application in the process owns it.
 *
 * `shared`: the value is a fact about shared state (a table, a consumer group) that every process
 * reads alike, so workers of one instance report it once (their maximum), not summed.
 */
export function scrapeGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  read: (gauge: Gauge<L>) => Promise<void> | void,
  scope: 'process' | 'shared' = 'process',
): Gauge<L> {
  register.removeSingleMetric(name);
  return new Gauge<L>({
    name,
    help,
    labelNames,
    aggregator: scope === 'shared' ? 'max' : 'sum',
    async collect() {
      await read(this);
    },
  });
}
