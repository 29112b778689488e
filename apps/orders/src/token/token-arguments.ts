import { parseArgs } from 'node:util';
import type { TokenRequest } from '@app/auth';
import { ORDER_ROLES } from '../api/order-access';
import { parseDuration } from '../duration-argument';

export class UsageError extends Error {}

export const TOKEN_USAGE =
  'usage: npm run token -- --role <admin|support|fulfilment|customer> [--role ...] [--customer <id>] ' +
  '[--subject <name>] [--ttl <30m | 12h | 7d>]';

/** `--role customer --customer customer-42`: what the token says and how long it lasts (default 12 h). */
export function parseTokenArguments(argv: string[]): TokenRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        role: { type: 'string', multiple: true },
        customer: { type: 'string' },
        subject: { type: 'string' },
        ttl: { type: 'string', default: '12h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${TOKEN_USAGE}`);
  }
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !(ORDER_ROLES as readonly string[]).includes(role));
  if (roles.length === 0 || unknown.length) {
    throw new UsageError(
      `${roles.length ? `unknown role ${unknown.join(', ')}` : '--role is required'}\n${TOKEN_USAGE}`,
    );
  }
  if (roles.includes('customer') && !values.customer) {
    throw new UsageError(`a customer token needs --customer <id>\n${TOKEN_USAGE}`);
  }
  const ttlMs = parseDuration(values.ttl);
  if (!ttlMs) throw new UsageError(`--ttl ${values.ttl} is not a duration\n${TOKEN_USAGE}`);
  return {
    roles,
    customerId: values.customer,
    subject: values.subject,
    ttlSeconds: ttlMs / 1000,
  };
}
