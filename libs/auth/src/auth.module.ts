import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { JWTVerifyGetKey } from 'jose';
import type { AppConfig } from '@app/config';
import { assertAuthConfigured, AuthenticationError } from './auth-errors';
import { AuthGuard } from './auth.guard';
import { AuthProblems } from './auth-problems';
import { Authenticator } from './authenticator';
import { issuerKeys } from './issuer-keys';
import { SELF_ISSUER, SelfIssuer } from './self-issuer';
import { TokenVerifier } from './token-verifier';

/** Authentication for every HTTP route (see AuthGuard), in the mode the configuration names. */
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { auth } = config;
    const verifierOf = (keys: JWTVerifyGetKey, issuer: string) => {
      const verifier = new TokenVerifier(keys, issuer, auth);
      return (token: string) => verifier.verify(token);
    };
    return {
      module: AuthModule,
      global: true,
      providers: [
        {
          provide: SelfIssuer,
          useFactory: () => (auth.mode === 'self-issued' ? SelfIssuer.open(config.database.dataDir, auth) : null),
        },
        {
          provide: Authenticator,
          inject: [SelfIssuer],
          useFactory: (selfIssuer: SelfIssuer | null) => {
            switch (auth.mode) {
              case 'issuer':
                return new Authenticator(verifierOf(issuerKeys(auth.issuer!, auth.jwksUrl), auth.issuer!));
              case 'self-issued':
                return new Authenticator(verifierOf(selfIssuer!.keys, SELF_ISSUER));
              case 'disabled':
                new Logger('Auth').warn('AUTH_DISABLED=true: the API serves every request without authentication');
                return new Authenticator(null);
              case 'unconfigured':
                // Only a process without the API gets here: it serves public routes alone, and trusts no token.
                assertAuthConfigured(config);
                return new Authenticator(() =>
                  Promise.reject(new AuthenticationError('No token issuer is configured')),
                );
            }
          },
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        AuthProblems,
      ],
      exports: [SelfIssuer],
    };
  }
}
