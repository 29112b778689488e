import 'reflect-metadata';
import { SelfIssuer } from '@app/auth';
import { ConfigError, loadConfig } from '@app/config';
import { parseTokenArguments, UsageError } from './token/token-arguments';

/**
 * `npm run token -- --role customer --customer customer-42`: prints an access token signed with the
 * embedded mode's key (the one `npm start` trusts), for curl, Swagger UI's Authorize button or tests.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.auth.mode !== 'self-issued') {
    throw new UsageError(
      config.auth.mode === 'issuer'
        ? `Tokens come from ${config.auth.issuer} (AUTH_ISSUER); this command signs embedded-mode tokens only.`
        : 'This command signs embedded-mode tokens only (no DATABASE_URL, no AUTH_ISSUER).',
    );
  }
  const request = parseTokenArguments(process.argv.slice(2));
  const issuer = await SelfIssuer.open(config.database.dataDir, config.auth);
  process.stdout.write(`${await issuer.mint(request)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError || error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
