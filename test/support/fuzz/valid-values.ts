import fc from 'fast-check';
import type { Schema } from './openapi';

/**
 * What the schema alone cannot say about a valid value, by field or parameter name: the ids and
 * cursors that exist, which ETags the API issues. The test supplies them from its seeded orders.
 */
export type KnownValues = Record<string, fc.Arbitrary<unknown>>;

/** Valid text within `maxLength` code points: plain ASCII mostly, any well-formed Unicode too. */
const validText = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: Math.min(maxLength, 24) }) },
    fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(maxLength, 12) })
      .filter((text) => [...text].length <= maxLength && text.isWellFormed() && !text.includes('\u0000')),
  );

/**
 * A value the schema accepts, built from its types, formats, enums, examples and bounds. Strings
 * without a bound keep their example (a currency or country code has rules the schema does not
 * spell out); arrays stay near their minimum size, so valid requests stay cheap.
 */
export function validValue(schema: Schema, known: KnownValues, name?: string): fc.Arbitrary<unknown> {
  if (name !== undefined && known[name]) return known[name];
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  switch (schema.type ?? 'object') {
    case 'string':
      if (schema.format && known[`format:${schema.format}`]) return known[`format:${schema.format}`];
      if (schema.format === 'date-time') {
        return fc
          .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
          .map((date) => date.toISOString());
      }
      if (schema.maxLength !== undefined) {
        const text = validText(schema.maxLength);
        return schema.example === undefined ? text : fc.oneof(fc.constant(schema.example), text);
      }
      return fc.constant(schema.example ?? 'x');
    case 'number':
    case 'integer': {
      const min = schema.minimum ?? 0;
      return fc.integer({ min, max: schema.maximum ?? min + 100_000 });
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const minLength = schema.minItems ?? 0;
      return fc.array(validValue(schema.items ?? {}, known), {
        minLength,
        maxLength: Math.min(schema.maxItems ?? Infinity, minLength + 2),
      });
    }
    case 'object':
    default: {
      if (!schema.properties) return fc.constant({});
      const model = Object.fromEntries(
        Object.entries(schema.properties).map(([key, property]) => [key, validValue(property, known, key)]),
      );
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
  }
}
