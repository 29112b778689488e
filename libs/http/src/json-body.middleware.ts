import { HttpException, HttpStatus, Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { findUnacceptableValues } from './client-values';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-nesting';
import { markInexactIntegers } from './json-numbers';
import { RequestValidationError } from './request-validation.error';

const JSON_TYPES = ['application/json', 'application/*+json'];

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

/** Thrown from body-parser's verify hook, which runs on the raw bytes before JSON.parse. */
class TooDeepError extends Error {
  readonly status = HttpStatus.BAD_REQUEST;
  readonly type = 'entity.too.deep';
}

/** Parses JSON bodies and turns every body problem into an HTTP error the problem filter can render. */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: ReturnType<typeof json>;

  private readonly limit: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limit = config.bodyLimit;
    this.parse = json({
      limit: this.limit,
      type: JSON_TYPES,
      strict: true,
      verify: rejectDeepNesting,
      reviver: markInexactIntegers,
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    if (hasBody(req) && !req.is(JSON_TYPES)) {
      return next(
        new HttpException(
          `Content-Type ${req.headers['content-type'] ?? '(none)'} is not supported; send application/json`,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        ),
      );
    }
    this.parse(req, res, (error?: BodyParserError) => {
      if (!error) {
        const unacceptable = findUnacceptableValues(req.body);
        return next(unacceptable.length ? new RequestValidationError(unacceptable) : undefined);
      }
      if (error.type === 'entity.too.large') {
        return next(
          new HttpException(`Request body is larger than the limit of ${this.limit}`, HttpStatus.PAYLOAD_TOO_LARGE),
        );
      }
      if (error instanceof TooDeepError) {
        return next(
          new HttpException(`Request body is nested deeper than ${MAX_JSON_DEPTH} levels`, HttpStatus.BAD_REQUEST),
        );
      }
      if (error.type === 'entity.parse.failed') {
        return next(new HttpException(`Request body is not valid JSON: ${error.message}`, HttpStatus.BAD_REQUEST));
      }
      next(new HttpException(error.message ?? 'Unreadable request body', error.status ?? HttpStatus.BAD_REQUEST));
    });
  }
}

/** body-parser accepts any utf-* charset; the depth scan reads UTF-8, so other charsets are transcoded. */
function rejectDeepNesting(_req: Request, _res: Response, body: Buffer, encoding: string): void {
  let utf8: Uint8Array = body;
  if (encoding !== 'utf-8') {
    try {
      utf8 = Buffer.from(new TextDecoder(encoding).decode(body), 'utf8');
    } catch {
      throw Object.assign(new Error(`unsupported charset "${encoding.toUpperCase()}"`), {
        status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        type: 'charset.unsupported',
      });
    }
  }
  if (exceedsJsonDepth(utf8, MAX_JSON_DEPTH)) throw new TooDeepError();
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
