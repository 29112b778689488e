import { main } from '../../orders-api/src/main';

/** The worker role alone (it still serves /health and /metrics, on 8081 unless PORT says otherwise). */
main({ ...process.env, ROLES: 'worker' }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
