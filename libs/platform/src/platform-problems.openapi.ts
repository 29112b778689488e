import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, type ApiPropertyOptions, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemSchema } from '@app/http';
import { healthReportSchema } from './health-report.openapi';

/** A failed readiness check: the problem carries terminus' report of every check. */
export class HealthProblemSchema extends ProblemSchema {
  @ApiProperty({
    ...(healthReportSchema(['error', 'shutting_down']) as ApiPropertyOptions),
    description: 'The report of every check: `error` names the dependencies that are down',
  })
  checks!: Record<string, unknown>;
}

const descriptions: Record<number, string> = {
  400: 'A query string with unacceptable values (NUL, unpaired surrogates, names of Object.prototype members)',
  404: 'Not served on this port: with MANAGEMENT_PORT set, /health and /metrics are served on that port only',
  413: 'A request body larger than the limit',
  415: 'A request body in a media type or charset the server does not read',
  417: 'An Expect header other than 100-continue',
  431: 'Request headers larger than the server reads (16 KiB)',
  500: 'A fault of the server, logged with the request id',
  503: 'A dependency is down: the problem lists every check',
};

/** The problem+json responses the platform's own routes (health, metrics) can give. */
export function PlatformProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemSchema, HealthProblemSchema),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: descriptions[status],
        content: {
          'application/problem+json': {
            schema: { $ref: getSchemaPath(status === 503 ? HealthProblemSchema : ProblemSchema) },
          },
        },
      }),
    ),
  );
}
