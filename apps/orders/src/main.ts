import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/config';
import { createHttpApp, listen } from '@app/platform';
import { compositionFor } from './roles';

/** Runs the roles named in ROLES (default: every role, in one process). */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  const app = await createHttpApp(config, compositionFor(config));
  await listen(app, config.port, '0.0.0.0');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}
