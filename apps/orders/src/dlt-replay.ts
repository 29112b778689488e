import 'reflect-metadata';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '@app/config';
import { dataSourceOptions, EmbeddedPostgres } from '@app/database';
import { kafkaClientConfig, replayDeadLetters } from '@app/messaging';
import { DeadLetterReplayLedger, ORDERS_DLT_REPLAY_GROUP, orderEventStream, orderMigrations } from '@app/orders';
import { parseReplayArguments, UsageError } from './dlt-replay/replay-arguments';

/**
 * `npm run dlt:replay -- --since ... [--type ...] [--dry-run]`: re-publishes the dead letters of
 * orders.DLT to orders once their cause is fixed, each at most once (recorded in dead_letter_replays).
 */
async function replay(): Promise<void> {
  const request = parseReplayArguments(process.argv.slice(2));
  const config = loadConfig();
  if (!config.kafka.brokers) throw new UsageError('KAFKA_BROKERS is not set: there is no dead-letter topic to read');
  const embedded = config.database.embedded ? await EmbeddedPostgres.start(config.database.dataDir) : null;
  const dataSource = new DataSource(dataSourceOptions(embedded?.url ?? config.database.url!, 1, orderMigrations));
  try {
    await dataSource.initialize();
    const kafka = new Kafka(kafkaClientConfig(config, config.kafka.brokers));
    const ledger = new DeadLetterReplayLedger(dataSource);
    const report = await replayDeadLetters(kafka, orderEventStream, ORDERS_DLT_REPLAY_GROUP, ledger, request);
    for (const line of report.lines) console.log(line);
    const verb = request.dryRun ? 'would replay' : 'replayed';
    console.log(
      `${report.lines.length} dead letters since ${request.since.toISOString()}${request.type ? ` of type ${request.type}` : ''}: ` +
        `${verb} ${report.replayed}, already replayed ${report.alreadyReplayed}`,
    );
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

replay().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof UsageError ? error.message : error);
  process.exit(1);
});
