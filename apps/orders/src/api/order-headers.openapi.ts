import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse, type HeadersObject } from '@nestjs/swagger';

/** The caching and concurrency headers of the orders API, as the OpenAPI document describes them. */

/** An ETag is the order's version in quotes (see OrderReply). */
const ETAG_PATTERN = '^"[1-9][0-9]*"$';

export const etagHeader: HeadersObject = {
  ETag: {
    required: true,
    description: 'The order version in quotes, e.g. "3": send it in If-Match to change this version only',
    schema: { type: 'string', pattern: ETAG_PATTERN, example: '"3"' },
  },
};

export const cacheHeader: HeadersObject = {
  'X-Cache': {
    required: true,
    description: 'HIT when the read was answered from the read cache, MISS when from the database',
    schema: { type: 'string', enum: ['HIT', 'MISS'] },
  },
};

export const placedHeaders: HeadersObject = {
  ...etagHeader,
  Location: {
    required: true,
    description: 'Path of the new order',
    schema: { type: 'string', format: 'uri-reference', example: '/api/orders/019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80' },
  },
  'Idempotent-Replayed': {
    description: 'true when this is the stored response to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
};

/** If-Match on a write: RFC 9110 semantics over the order's strong ETags. */
export const IfMatchHeader = () =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'Change the order only at one of these versions: `*` or a list of ETags this API returned, e.g. `"3"` or ' +
      '`"2", "3"`. Weak tags (`W/"3"`) never match. Otherwise 412 with the current version.',
    schema: { type: 'string', example: '"3"' },
  });

/** If-None-Match on GET by id, with the 304 it can give. */
export const ConditionalGet = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'ETags you hold, e.g. `"3"` or `"2", "3"` (weak tags compare equal), or `*`: 304 if one is current',
      schema: { type: 'string', example: '"3"' },
    }),
    ApiResponse({
      status: 304,
      description: 'The order is unchanged since the ETag you sent: no body',
      headers: { ...etagHeader, ...cacheHeader },
    }),
  );

export const IdempotencyKeyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body: the original response again, no second order; another body: 422',
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$', example: '7f3c1e' },
  });
