import { ValidationError } from 'class-validator';

export interface FieldError {
  field: string;
  message: string;
}

/** A request that failed validation, with one entry per bad field. */
export class RequestValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((error) => `${error.field}: ${error.message}`).join('; '));
  }

  static fromValidation(errors: ValidationError[]): RequestValidationError {
    return new RequestValidationError(flatten(errors, ''));
  }
}

function flatten(errors: ValidationError[], parent: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    // class-validator names only the last property; name the full path instead.
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(new RegExp(`\\b${error.property}\\b`), field),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
