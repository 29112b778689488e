import { ApiSchema, type ApiSchemaOptions } from '@nestjs/swagger';

/**
 * Marks a request body schema `additionalProperties: false`: the validation pipe refuses unknown
 * fields, so the document does too. ApiSchema copies its options into the schema; its type only
 * names `name` and `description`.
 */
export const ClosedSchema = (): ClassDecorator => ApiSchema({ additionalProperties: false } as ApiSchemaOptions);
