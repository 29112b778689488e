/**
 * Suites about something else run the API without authentication (AUTH_DISABLED), as the service
 * requires it be said explicitly; a suite that configures an issuer, or says otherwise, keeps its choice.
 */
export function withAuthDefaults(env: Record<string, string>): Record<string, string> {
  const chosen = 'AUTH_ISSUER' in env || 'AUTH_DISABLED' in env || !('DATABASE_URL' in env);
  return chosen ? env : { AUTH_DISABLED: 'true', ...env };
}
