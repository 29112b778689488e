import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { httpSettingsSchema, toHttpSettings } from './http-settings';
import { checkKafkaSettings, kafkaSettingsSchema, toKafkaSettings } from './kafka-settings';

/** Every setting the processes read, validated once at start-up. */
const roles = ['api', 'worker'] as const;
export type Role = (typeof roles)[number];

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined))
    .refine((value) => value === undefined || protocols.some((p) => value.startsWith(`${p}://`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((value) => (value === undefined ? fallback : value === 'true' || value === '1'));

const schema = z
  .object({
    ROLES: z
      .string()
      .default('api,worker')
      .transform((value) => value.split(',').map((role) => role.trim()))
      .pipe(z.array(z.enum(roles)).min(1)),
    PORT: z.coerce.number().int().min(0).max(65535).optional(),
    // Processes serving the API on the same ports (node:cluster); see processesOf.
    API_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default(1),
    // production: an event that breaks its schema is logged and counted; elsewhere it fails the write.
    NODE_ENV: z.string().default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // Unset: readable lines on a terminal, JSON lines otherwise (files, pipes, containers).
    LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/, 'must look like 512kb or 2mb')
      .default('2mb')
      .transform(toBytes),
    DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
    DATA_DIR: z.string().min(1).default('.data'),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    DB_MIGRATIONS_RUN: flag(true),
    IDEMPOTENCY_KEY_TTL_SECONDS: z.coerce.number().int().min(1).default(86_400),
    // Days rows are kept (0: forever). The ledger must outlive the orders topic's retention (7 days):
    // an event re-read after its ledger row is gone is applied again.
    PROCESSED_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
    TIMELINE_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
    REDIS_URL: optionalUrl(['redis', 'rediss']),
    // 0 turns the read cache off (every read goes to PostgreSQL).
    CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(300),
    // How long an instance trusts the cache epoch it last read (see CacheEpoch).
    CACHE_EPOCH_LEASE_MS: z.coerce.number().int().min(20).max(60_000).default(1_000),
    ...kafkaSettingsSchema,
    ...httpSettingsSchema,
    // How long an API process keeps serving after SIGTERM with readiness at 503, so that load
    // balancers stop sending before it closes; 0 closes at once (nothing in front to tell).
    SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(300_000).default(0),
    // OpenID Connect issuer whose tokens the API accepts; its JWKS is found by discovery unless AUTH_JWKS_URL names it.
    AUTH_ISSUER: optionalUrl(['https', 'http']),
    AUTH_JWKS_URL: optionalUrl(['https', 'http']),
    AUTH_AUDIENCE: z.string().trim().min(1).default('orders-api'),
    // Dot paths into the token's claims: the customer a `customer` token acts for, and its roles.
    AUTH_CUSTOMER_CLAIM: z.string().trim().min(1).default('sub'),
    AUTH_ROLES_CLAIM: z.string().trim().min(1).default('roles'),
    AUTH_DISABLED: flag(false),
  })
  .superRefine(checkKafkaSettings)
  .refine((env) => env.AUTH_JWKS_URL === undefined || env.AUTH_ISSUER !== undefined, {
    path: ['AUTH_JWKS_URL'],
    message: 'names where the keys of AUTH_ISSUER are; set AUTH_ISSUER too (tokens are checked against it)',
  })
  .superRefine((env, context) => {
    if (env.API_WORKERS !== 1 && !env.ROLES.includes('api')) {
      context.addIssue({
        code: 'custom',
        path: ['API_WORKERS'],
        message: 'auto or more than 1 needs the api role in ROLES (the worker role runs in one process per instance)',
      });
      return;
    }
    // Processes share what they cache, count and lock: PostgreSQL and Redis must be real services.
    const { api, eventWorker } = processesOf(env);
    if ((api > 1 || eventWorker) && (env.DATABASE_URL === undefined || env.REDIS_URL === undefined))
      context.addIssue({
        code: 'custom',
        path: ['API_WORKERS'],
        message: `${env.API_WORKERS} runs ${api + Number(eventWorker)} processes, which needs DATABASE_URL and REDIS_URL (they share the database, read cache and rate limits)`,
      });
    if (env.MANAGEMENT_PORT !== undefined && env.MANAGEMENT_PORT !== 0 && env.MANAGEMENT_PORT === portOf(env))
      context.addIssue({ code: 'custom', path: ['MANAGEMENT_PORT'], message: 'must differ from PORT' });
  });

/**
 * The processes of one instance. API_WORKERS=1 (the default): one, serving every role. n > 1: n API
 * processes, and the worker role, when the instance runs it, in one more beside them (the event worker).
 * auto: one process per core, the event worker included, so on two cores one API process and the event
 * worker: orders were placed 21-118% faster so (three alternating runs) than with two API processes
 * beside the event worker, three busy processes on two cores (see docs/benchmarks.md).
 */
function processesOf(env: { API_WORKERS: number | 'auto'; ROLES: Role[] }): { api: number; eventWorker: boolean } {
  const worker = env.ROLES.includes('worker');
  if (env.API_WORKERS !== 'auto') return { api: env.API_WORKERS, eventWorker: worker && env.API_WORKERS > 1 };
  const cores = availableParallelism();
  const eventWorker = worker && cores > 1;
  return { api: Math.max(1, cores - Number(eventWorker)), eventWorker };
}

/** A lone worker still serves /metrics and /health; 8081 keeps it clear of a local API. */
const portOf = (env: { PORT?: number; ROLES: Role[] }) => env.PORT ?? (env.ROLES.includes('api') ? 8080 : 8081);

/** The names of every environment variable the processes read (deployment manifests are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export type AppConfig = ReturnType<typeof toAppConfig>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return toAppConfig(parsed.data);
}

function toAppConfig(env: z.infer<typeof schema>) {
  const runsApi = env.ROLES.includes('api');
  return {
    roles: env.ROLES,
    /** API processes, and whether the worker role runs in a process of its own: more than one, a supervisor forks them. */
    processes: processesOf(env),
    port: portOf(env),
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
    /** Largest request body, in bytes. */
    bodyLimit: env.BODY_LIMIT,
    database: {
      url: env.DATABASE_URL,
      embedded: env.DATABASE_URL === undefined,
      dataDir: env.DATA_DIR,
      // PGlite serves a single connection; a larger pool gets its extra connections dropped.
      poolSize: env.DATABASE_URL === undefined ? 1 : env.DB_POOL_SIZE,
      migrationsRun: env.DB_MIGRATIONS_RUN,
    },
    eventContract: env.NODE_ENV === 'production' ? ('report' as const) : ('enforce' as const),
    idempotencyKeyTtlSeconds: env.IDEMPOTENCY_KEY_TTL_SECONDS,
    retention: {
      processedEventsDays: env.PROCESSED_EVENTS_RETENTION_DAYS,
      timelineDays: env.TIMELINE_RETENTION_DAYS,
    },
    cache: { redisUrl: env.REDIS_URL, ttlSeconds: env.CACHE_TTL_SECONDS, epochLeaseMs: env.CACHE_EPOCH_LEASE_MS },
    kafka: toKafkaSettings(env),
    http: toHttpSettings(env),
    // Draining only matters where a load balancer sends requests: the API.
    shutdownDrainMs: runsApi ? env.SHUTDOWN_DRAIN_MS : 0,
    auth: toAuthSettings(env),
  };
}

/**
 * Who the API believes: an issuer's tokens; its own (embedded mode: no DATABASE_URL and no issuer);
 * nobody asks (AUTH_DISABLED); or nothing configured with real services, which the API refuses to start on.
 */
function toAuthSettings(env: z.infer<typeof schema>) {
  const mode = env.AUTH_DISABLED
    ? ('disabled' as const)
    : env.AUTH_ISSUER
      ? ('issuer' as const)
      : env.DATABASE_URL === undefined
        ? ('self-issued' as const)
        : ('unconfigured' as const);
  return {
    mode,
    issuer: env.AUTH_ISSUER,
    jwksUrl: env.AUTH_JWKS_URL,
    audience: env.AUTH_AUDIENCE,
    customerClaim: env.AUTH_CUSTOMER_CLAIM,
    rolesClaim: env.AUTH_ROLES_CLAIM,
  };
}

export type AuthSettings = ReturnType<typeof toAuthSettings>;

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

const BYTES_PER_UNIT: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** "512kb" -> 524288 (units of 1024). */
function toBytes(size: string): number {
  const [, amount, unit] = /^(\d+)(b|kb|mb)$/.exec(size)!;
  return Number(amount) * BYTES_PER_UNIT[unit];
}
