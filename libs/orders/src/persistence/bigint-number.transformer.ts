import { ValueTransformer } from 'typeorm';

/** pg returns bigint as a string; minor-unit amounts stay within Number.MAX_SAFE_INTEGER (checked in the domain). */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
