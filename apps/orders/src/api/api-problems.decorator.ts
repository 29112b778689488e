import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemResponse } from './dto/order.response';

const descriptions: Record<number, string> = {
  400: 'Malformed JSON, invalid fields (each listed in `errors`), unknown fields or a bad cursor',
  404: 'No order with this id',
  409: 'The order is in a status that does not allow this (names the current and requested status)',
  412: 'If-Match names a version the order has moved past; nothing was changed',
  413: 'Request body larger than the limit',
  415: 'Body sent with a Content-Type other than application/json',
  422: 'Idempotency-Key reused with a different body, or amounts out of range',
};

/** Documents the problem+json responses an endpoint can give. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemResponse),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: descriptions[status],
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } } },
      }),
    ),
  );
}
