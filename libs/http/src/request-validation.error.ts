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
    // A field left out fails every check on it; one message says what is wrong.
    if (error.value === undefined && error.constraints && !error.constraints.whitelistValidation) {
      return [{ field, message: `${field} is required` }];
    }
    // class-validator names only the last property; name the full path instead.
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: replaceWord(message, error.property, field),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * The message with the first whole-word occurrence of `word` replaced. A plain search: property
 * names come from the client (unknown fields are reported by name), so they never become a pattern.
 */
function replaceWord(message: string, word: string, replacement: string): string {
  const isWordChar = (char: string | undefined) => char !== undefined && /\w/.test(char);
  for (let at = message.indexOf(word); at !== -1 && word !== ''; at = message.indexOf(word, at + 1)) {
    if (!isWordChar(message[at - 1]) && !isWordChar(message[at + word.length])) {
      return message.slice(0, at) + replacement + message.slice(at + word.length);
    }
  }
  return message;
}
