import { Logger } from '@nestjs/common';
import { KafkaConfig, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import type { AppConfig, KafkaSettings } from '@app/config';

const logger = new Logger('Kafka');

/**
 * Conditions a cluster goes through while it starts or moves leaders, which kafkajs retries by
 * itself: worth a debug line, not an error with a stack trace.
 */
const TRANSIENT =
  /coordinator is not available|not the correct coordinator|coordinator (load|is loading)|no leader|leadership election|leader is not available/i;
/**
 * Lines that are not news: the restart that follows a crash (the crash itself is logged), and the
 * bounded retries of our idempotent producer, which are deliberate (the outbox relay retries).
 */
const INFORMATIONAL = /^Restarting the consumer|^Limiting retries for the idempotent producer/;
/** Nest's reply producer, never used here, warns about kafkajs' partitioner change; ours sets one. */
const IRRELEVANT = /^KafkaJS v2\.0\.0 switched default partitioner/;

/** kafkajs logs through the application's logger; its chatty INFO lines stay out. */
function logCreator() {
  return ({ level, log }: LogEntry) => {
    // The message says what failed; kafkajs' stack traces point into kafkajs and help nobody.
    const { message, stack: _stack, ...extra } = log;
    if (IRRELEVANT.test(message)) return;
    if (TRANSIENT.test(`${message} ${String(extra.error ?? '')}`)) logger.debug({ ...extra }, message);
    else if (INFORMATIONAL.test(message)) logger.log({ ...extra }, message);
    else if (level === logLevel.ERROR) logger.error({ ...extra }, message);
    else if (level === logLevel.WARN) logger.warn({ ...extra }, message);
  };
}

/** One client configuration for the producer, the admin and the consumer transport. */
export function kafkaClientConfig(config: AppConfig, brokers: string[]): KafkaConfig {
  return {
    clientId: config.kafka.clientId,
    brokers,
    ...kafkaSecurity(config.kafka),
    logLevel: logLevel.WARN,
    logCreator,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    // Short, bounded retries: the outbox relay owns the long-term retrying.
    retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 5 },
  };
}

/** TLS and SASL as configured; the password is revealed only to kafkajs, never to a log line. */
function kafkaSecurity({ tls, sasl }: KafkaSettings): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  return {
    ssl: tls === false ? false : tls.ca ? { ca: [tls.ca] } : true,
    sasl:
      sasl && ({ mechanism: sasl.mechanism, username: sasl.username, password: sasl.password.reveal() } as SASLOptions),
  };
}
