import type { SchemaObject } from '@nestjs/swagger';

/** The report terminus gives for /health/ready: each dependency's state under info, error and details. */
const indicators: SchemaObject = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'degraded', 'down'] } },
    additionalProperties: true,
  },
};

export const healthReportSchema = (statuses: string[]): SchemaObject => ({
  type: 'object',
  required: ['status', 'details'],
  properties: {
    status: { type: 'string', enum: statuses },
    info: { ...indicators, nullable: true },
    error: { ...indicators, nullable: true },
    details: indicators,
  },
  example: { status: statuses[0], info: {}, error: {}, details: { database: { status: 'up' } } },
});
