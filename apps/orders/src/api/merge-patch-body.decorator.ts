import { createParamDecorator, ExecutionContext, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parsedContentType, RequestValidationError } from '@app/http';

export const MERGE_PATCH_TYPE = 'application/merge-patch+json';

/**
 * The body of a JSON Merge Patch request (RFC 7396): a JSON object sent as
 * application/merge-patch+json. Another media type is 415 with Accept-Patch naming the right one
 * (RFC 5789), so a client that sent plain JSON learns what to send.
 */
export const MergePatchBody = createParamDecorator((_data: unknown, ctx: ExecutionContext): object => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  if (hasBody(req) && parsedContentType(req.headers['content-type'])?.type !== MERGE_PATCH_TYPE) {
    ctx.switchToHttp().getResponse<FastifyReply>().header('Accept-Patch', MERGE_PATCH_TYPE);
    throw new HttpException(
      `Content-Type ${req.headers['content-type'] ?? '(none)'} is not supported; send ${MERGE_PATCH_TYPE}`,
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
  const patch: unknown = req.body;
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new RequestValidationError([
      { field: '(body)', message: 'A merge patch must be a JSON object of the fields to change' },
    ]);
  }
  return patch;
});

function hasBody(req: FastifyRequest): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
