import { Injectable, type OnModuleInit } from '@nestjs/common';
import { problem, ProblemMappers } from '@app/http';
import { AccessDeniedError, AuthenticationError, IssuerUnavailableError } from './auth-errors';

const ISSUER_RETRY_AFTER_SECONDS = 5;

@Injectable()
export class AuthProblems implements OnModuleInit {
  constructor(private readonly problems: ProblemMappers) {}

  onModuleInit(): void {
    this.problems.register((error) => {
      if (error instanceof AuthenticationError) {
        return problem(401, 'unauthenticated', 'Authentication required', error.message);
      }
      if (error instanceof AccessDeniedError) return problem(403, 'forbidden', 'Forbidden', error.message);
      if (error instanceof IssuerUnavailableError) {
        return problem(
          503,
          'issuer-unavailable',
          'Token issuer unavailable',
          'The token cannot be checked right now: the keys of its issuer cannot be fetched. Retry in a few seconds.',
          { retryAfter: ISSUER_RETRY_AFTER_SECONDS },
        );
      }
      return undefined;
    });
  }
}
