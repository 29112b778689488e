import { z } from 'zod';

/** The HTTP edge's settings: who may call from a browser, which proxies to believe, how much a client may ask. */
const perMinute = (fallback: number) => z.coerce.number().int().min(0).max(1_000_000).default(fallback);

/** Proxies trusted to set X-Forwarded-For (proxy-addr's names): a hop count, or addresses and subnets. */
const PROXY_NAMES = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/;

export const httpSettingsSchema = {
  // Unset: no port of its own; /health and /metrics are served on PORT with everything else.
  MANAGEMENT_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  // Unset: req.ip is the peer's address. Never "true": any client could then pick its own address.
  TRUST_PROXY: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined))
    .refine(
      (value) =>
        value === undefined || /^\d{1,2}$/.test(value) || value.split(',').every((p) => PROXY_NAMES.test(p.trim())),
      { message: 'must be a number of proxies (1) or addresses, subnets, loopback, linklocal, uniquelocal' },
    )
    .transform((value) =>
      value === undefined ? false : /^\d+$/.test(value) ? Number(value) : value.split(',').map((p) => p.trim()),
    ),
  CORS_ORIGINS: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value.split(',').map((origin) => origin.trim()) : []))
    .refine((origins) => origins.every(isOrigin), {
      message: 'must be a comma-separated list of origins such as https://shop.example (scheme, host, port only)',
    }),
  // Requests per minute per caller (0: no limit); bulk placement has its own, smaller budget.
  RATE_LIMIT_PER_MINUTE: perMinute(600),
  RATE_LIMIT_BULK_PER_MINUTE: perMinute(10),
  // Where the shared counters live in Redis; deployments sharing one Redis keep their own budgets.
  RATE_LIMIT_KEY_PREFIX: z.string().trim().min(1).default('orders:rate-limit'),
};

type HttpEnv = z.infer<z.ZodObject<typeof httpSettingsSchema>>;

function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

export function toHttpSettings(env: HttpEnv & { REDIS_URL?: string }) {
  return {
    managementPort: env.MANAGEMENT_PORT,
    /** The server's trustProxy: false, a hop count, or addresses. */
    trustProxy: env.TRUST_PROXY as false | number | string[],
    corsOrigins: env.CORS_ORIGINS,
    rateLimit: {
      /** Requests a minute per budget; 0: that budget is not limited. */
      perMinute: { default: env.RATE_LIMIT_PER_MINUTE, bulk: env.RATE_LIMIT_BULK_PER_MINUTE },
      /** Unset: each process counts on its own (embedded mode). */
      redisUrl: env.REDIS_URL,
      keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
    },
  };
}

export type HttpSettings = ReturnType<typeof toHttpSettings>;
export type RateLimitBudgetName = keyof HttpSettings['rateLimit']['perMinute'];
