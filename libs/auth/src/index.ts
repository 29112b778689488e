export { AccessDeniedError, assertAuthConfigured, AuthNotConfiguredError } from './auth-errors';
export { principalOf, Public, RequireRoles, requiredRolesOf } from './auth.decorators';
export { AuthModule } from './auth.module';
export { type Principal } from './principal';
export { SELF_ISSUER, SelfIssuer, type TokenRequest } from './self-issuer';
