import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath, type HeadersObject } from '@nestjs/swagger';
import { ProblemResponse } from './dto/order.response';

const descriptions: Record<number, string> = {
  400: 'Malformed JSON, invalid fields (each listed in `errors`), unknown fields, a bad cursor, or a query string with unacceptable values',
  401: 'No bearer token, or one that is malformed, expired, not yet valid, from another issuer or audience, or not signed by the issuer (WWW-Authenticate says which)',
  403: "The token's roles do not allow this operation, or a customer places an order for another customer",
  404: 'No order with this id (or none the caller may see)',
  409: 'The order is in a status that does not allow this (names the current and requested status)',
  412: 'If-Match names no current version of the order (`currentVersion` says which is); nothing was changed',
  413: 'Request body larger than the limit',
  415: 'Body sent with a Content-Type other than application/json (PATCH: application/merge-patch+json)',
  422: 'Idempotency-Key reused with a different body, or amounts out of range',
  417: 'An Expect header other than 100-continue',
  429: 'Too many requests from this caller (one budget across every instance): retry after Retry-After seconds',
  431: 'Request headers larger than the server reads (16 KiB)',
  500: 'A fault of the server, logged with the request id',
  503: 'The database is unreachable or saturated, or the token issuer cannot be reached: retry after Retry-After seconds',
};

const challenge = (description: string): HeadersObject => ({
  'WWW-Authenticate': { required: true, description, schema: { type: 'string' } },
});

const headers: Record<number, HeadersObject> = {
  401: challenge('RFC 6750 challenge: `Bearer realm="orders"`, plus error="invalid_token" and why for a bad token'),
  403: challenge('RFC 6750 challenge: `Bearer realm="orders", error="insufficient_scope"`'),
  503: {
    'Retry-After': {
      required: true,
      description: 'Seconds to wait before retrying',
      schema: { type: 'integer', format: 'int32', minimum: 1 },
    },
  },
};

/**
 * Documents the problem+json responses an endpoint (or, on a controller, each of its endpoints) can
 * give. The platform adds the rate limit headers to operations that document a 429.
 */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemResponse),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: descriptions[status],
        headers: headers[status],
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } } },
      }),
    ),
  );
}
