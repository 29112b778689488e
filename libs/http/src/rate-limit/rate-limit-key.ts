import { isIPv6 } from 'node:net';

/** What the authentication guard leaves on a request it let through. */
interface Principal {
  subject: string;
  anonymous: boolean;
}

/**
 * Whose budget a request spends: the authenticated principal's, otherwise its client address's.
 * An IPv6 client usually holds a whole /64, so the /64 is the client; otherwise rotating addresses
 * within it would give a fresh budget each time.
 */
export function rateLimitKey(req: { principal?: Principal; ip?: string }): string {
  if (req.principal && !req.principal.anonymous) return `principal:${req.principal.subject}`;
  return `ip:${clientNetwork(req.ip ?? 'unknown')}`;
}

export function clientNetwork(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('%')[0].split('::');
  const groups = head ? head.split(':') : [];
  // Groups left out by "::" are zeros; only the first four matter.
  const missing = 8 - groups.length - (tail ? tail.split(':').length : 0);
  const full = [...groups, ...Array<string>(Math.max(missing, 0)).fill('0'), ...(tail ? tail.split(':') : [])];
  return `${full
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
