import { InexactNumber } from './json-numbers';
import type { FieldError } from './request-validation.error';

/** Enough to show a client what is wrong without answering a huge body with a huge list. */
const MAX_REPORTED = 100;

/**
 * Names no field ever has: class-transformer would assign `__proto__` as the prototype and skip
 * `constructor`, `toString` and the like (they are functions on every instance), so the
 * unknown-field check after it never sees them and they would pass silently.
 */
export const PROTOTYPE_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** PostgreSQL text cannot hold NUL, and an unpaired surrogate is not Unicode: both fail in the database. */
const storable = (text: string) => text.isWellFormed() && !text.includes('\u0000');

const join = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/**
 * What in a parsed body or query no validator can be trusted to catch: text the database cannot
 * store, field names that are Object.prototype members, numbers marked inexact by the JSON reviver.
 * Iterative, so it is safe however the value nests.
 */
export function findUnacceptableValues(root: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  for (let next = 0; next < pending.length && errors.length < MAX_REPORTED; next++) {
    const { value, path } = pending[next];
    if (typeof value === 'string') {
      if (!storable(value)) {
        errors.push({ field: path, message: `${path} must not contain NUL or unpaired surrogates` });
      }
    } else if (value instanceof InexactNumber) {
      const shown = value.source.length > 40 ? `${value.source.slice(0, 40)}...` : value.source;
      errors.push({
        field: path,
        message: `${path} must be an exact integer: ${shown} cannot be read without rounding`,
      });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push({ value: item, path: join(path, index) }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        const field = join(path, key);
        if (!storable(key)) {
          errors.push({ field, message: `field name ${field} must not contain NUL or unpaired surrogates` });
        } else if (PROTOTYPE_MEMBERS.has(key)) {
          errors.push({ field, message: `property ${field} should not exist` });
        } else {
          pending.push({ value: child, path: field });
        }
      }
    }
  }
  return errors.slice(0, MAX_REPORTED);
}

/**
 * No query parameter takes a list: a repeated one (`?limit=1&limit=2`, which the parser makes an
 * array) is named as such, rather than reported as failing every rule of its type at once.
 */
export function findRepeatedParameters(query: unknown): FieldError[] {
  if (typeof query !== 'object' || query === null) return [];
  return Object.keys(query)
    .filter((name) => Array.isArray((query as Record<string, unknown>)[name]))
    .map((name) => ({ field: name, message: `${name} must be given once` }));
}
