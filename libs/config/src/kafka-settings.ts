import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Secret } from './secret';

/** Kafka's settings: where the cluster is, how topics are shaped, how the service authenticates. */
const optionalCount = (max: number) => z.coerce.number().int().min(1).max(max).optional();
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

/** Reads a file named by a setting, so a missing or unreadable file stops the start-up with its name. */
const fileContents = optionalText.transform((path, context) => {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    context.addIssue({ code: 'custom', message: `cannot read ${path}: ${(error as Error).message}` });
    return z.NEVER;
  }
});

export const kafkaSettingsSchema = {
  KAFKA_BROKERS: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value.split(',').map((b) => b.trim()) : undefined))
    .refine((brokers) => brokers === undefined || brokers.every((b) => /^[^:\s]+:\d+$/.test(b)), {
      message: 'must be a comma-separated list of host:port',
    }),
  KAFKA_CLIENT_ID: z.string().min(1).default('orders'),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(256).default(6),
  // Unset: 3 (or the number of brokers, if fewer) and 2 from three replicas on.
  KAFKA_REPLICATION_FACTOR: optionalCount(16),
  KAFKA_MIN_INSYNC_REPLICAS: optionalCount(16),
  KAFKA_SASL_MECHANISM: z.enum(['scram-sha-512', 'scram-sha-256', 'plain']).optional(),
  KAFKA_SASL_USERNAME: optionalText,
  KAFKA_SASL_PASSWORD: optionalText,
  KAFKA_SASL_PASSWORD_FILE: fileContents,
  KAFKA_SSL_CA_FILE: fileContents,
  // Unset: TLS whenever SASL or a CA file is configured.
  KAFKA_SSL: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1')),
};

type KafkaEnv = z.infer<z.ZodObject<typeof kafkaSettingsSchema>>;

/** Problems that span several settings, reported like the others. */
export function checkKafkaSettings(env: KafkaEnv, context: z.RefinementCtx): void {
  const problem = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
  if (env.KAFKA_SASL_MECHANISM) {
    if (!env.KAFKA_SASL_USERNAME) problem('KAFKA_SASL_USERNAME', 'is required with KAFKA_SASL_MECHANISM');
    if ((env.KAFKA_SASL_PASSWORD === undefined) === (env.KAFKA_SASL_PASSWORD_FILE === undefined))
      problem('KAFKA_SASL_PASSWORD', 'give either KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE');
  }
  if (
    env.KAFKA_REPLICATION_FACTOR !== undefined &&
    env.KAFKA_MIN_INSYNC_REPLICAS !== undefined &&
    env.KAFKA_MIN_INSYNC_REPLICAS > env.KAFKA_REPLICATION_FACTOR
  )
    problem('KAFKA_MIN_INSYNC_REPLICAS', 'cannot exceed KAFKA_REPLICATION_FACTOR');
}

export function toKafkaSettings(env: KafkaEnv) {
  const password = env.KAFKA_SASL_PASSWORD ?? env.KAFKA_SASL_PASSWORD_FILE?.replace(/\r?\n$/, '');
  const sasl = env.KAFKA_SASL_MECHANISM
    ? { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME!, password: new Secret(password!) }
    : undefined;
  const tls = env.KAFKA_SSL ?? (sasl !== undefined || env.KAFKA_SSL_CA_FILE !== undefined);
  return {
    brokers: env.KAFKA_BROKERS,
    clientId: env.KAFKA_CLIENT_ID,
    partitions: env.KAFKA_TOPIC_PARTITIONS,
    /** Undefined: decided from the cluster's size when the topics are created. */
    replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    minInsyncReplicas: env.KAFKA_MIN_INSYNC_REPLICAS,
    /** PEM text of the CA to trust (undefined: the system's CAs); false: no TLS. */
    tls: tls ? { ca: env.KAFKA_SSL_CA_FILE } : (false as const),
    sasl,
  };
}

export type KafkaSettings = ReturnType<typeof toKafkaSettings>;
