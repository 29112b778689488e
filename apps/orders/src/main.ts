import 'reflect-metadata';
import cluster from 'node:cluster';
import { type AppConfig, ConfigError, loadConfig } from '@app/config';

/**
 * The entry point: one instance of the service, or when API_WORKERS asks for more than one process a
 * supervisor of the API processes and of the event worker. The supervisor loads only what it needs
 * (no Nest application), so it stays small beside its workers.
 */
async function start(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  const { api, eventWorker } = config.processes;
  if ((api > 1 || eventWorker) && cluster.isPrimary) (await import('./api-workers.js')).superviseWorkers(config);
  else await (await import('./instance.js')).runInstance(config);
}

void start();
