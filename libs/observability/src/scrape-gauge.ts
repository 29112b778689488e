import { Gauge, register } from 'prom-client';

/**
 * A gauge whose value is read when Prometheus scrapes (queue depths, pool sizes, lag). Re-creating it
 * replaces an earlier one of the same name, so the latest application in the process owns it.
 */
export function scrapeGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  read: (gauge: Gauge<L>) => Promise<void> | void,
): Gauge<L> {
  register.removeSingleMetric(name);
  return new Gauge<L>({
    name,
    help,
    labelNames,
    async collect() {
      await read(this);
    },
  });
}
