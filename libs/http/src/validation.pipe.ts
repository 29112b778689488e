import { ValidationPipe } from '@nestjs/common';
import { RequestValidationError } from './request-validation.error';

/** Rejects unknown fields and reports every bad field at once. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Values are kept only to tell a missing field from a bad one; no message repeats them.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => RequestValidationError.fromValidation(errors),
  });
}
