import { ValidationPipe } from '@nestjs/common';
import { RequestValidationError } from './request-validation.error';

/** Rejects unknown fields and reports every bad field at once. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => RequestValidationError.fromValidation(errors),
  });
}
