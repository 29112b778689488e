import { ValidateIf } from 'class-validator';

/**
 * An optional body field: it may be left out, but when present it must pass its validators. Unlike
 * @IsOptional, which also skips them for null, so `"notes": null` would get past @IsString.
 */
export const OptionalField = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
