import { HttpException, HttpStatus, Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { findUnacceptableValues, PROTOTYPE_MEMBERS } from './client-values';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-nesting';
import { markInexactIntegers } from './json-numbers';
import { RequestValidationError } from './request-validation.error';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * What in a body's text calls for the slow checks (a reviver on every value, a walk of the whole
 * body: together ten times the cost of parsing a large bulk). Inexact integers need a fraction, an
 * exponent or 16+ digits; NUL and unpaired surrogates can only be written as \u escapes (raw ones
 * are invalid JSON or become U+FFFD); prototype member names must appear quoted.
 */
const MAY_HOLD_INEXACT_NUMBERS = /[0-9][.eE]|[0-9]{16}/;
const MAY_HOLD_UNSTORABLE_TEXT = new RegExp(String.raw`\\u|"(?:${[...PROTOTYPE_MEMBERS].join('|')})"`);

/** The text of bodies that need the slow checks, kept from the verify hook for them. */
const suspicious = new WeakMap<Request, { text: string; numbers: boolean }>();

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
      verify: (req: Request, _res: Response, body: Buffer, encoding: string) => {
        const utf8 = rejectDeepNesting(body, encoding);
        const ascii = Buffer.from(utf8).toString('latin1'); // the patterns are ASCII: no decoding needed
        const numbers = MAY_HOLD_INEXACT_NUMBERS.test(ascii);
        if (numbers || MAY_HOLD_UNSTORABLE_TEXT.test(ascii)) {
          // body-parser drops a leading byte order mark when it decodes; the text parsed again must too.
          const text = Buffer.from(utf8)
            .toString('utf8')
            .replace(/^\uFEFF/, '');
          suspicious.set(req, { text, numbers });
        }
      },
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
        const check = suspicious.get(req);
        if (!check) return next();
        if (check.numbers) req.body = JSON.parse(check.text, markInexactIntegers) as unknown;
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
function rejectDeepNesting(body: Buffer, encoding: string): Uint8Array {
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
  return utf8;
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
