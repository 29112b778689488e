import { HttpException, HttpStatus } from '@nestjs/common';
import { parse as parseContentType } from 'content-type';
import type { FastifyInstance } from 'fastify';
import { findUnacceptableValues, PROTOTYPE_MEMBERS } from './client-values';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-nesting';
import { markInexactIntegers } from './json-numbers';
import { RequestValidationError } from './request-validation.error';

/** application/json and every structured +json type (application/merge-patch+json among them). */
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * What in a body's text calls for the slow checks (a reviver on every value, a walk of the whole
 * body: together ten times the cost of parsing a large bulk). Inexact integers need a fraction, an
 * exponent or 16+ digits; NUL and unpaired surrogates can only be written as \u escapes (raw ones
 * are invalid JSON or become U+FFFD); prototype member names must appear quoted.
 */
const MAY_HOLD_INEXACT_NUMBERS = /[0-9][.eE]|[0-9]{16}/;
const MAY_HOLD_UNSTORABLE_TEXT = new RegExp(String.raw`\\u|"(?:${[...PROTOTYPE_MEMBERS].join('|')})"`);

/**
 * Bodies are JSON (an object or an array, in any UTF charset) and nothing else: any other media
 * type is 415, a body over `bodyLimit` bytes 413, one nested too deep or unreadable 400, all as
 * errors the problem filter renders.
 *
 * A body refused for its type, or for its size (by its Content-Length, or once more than `bodyLimit`
 * bytes of it came), is not read: the answer goes out at once. Fastify closes the connection after
 * any refused body, and the connection lingers a moment first, so that a client still sending reads
 * the answer rather than a reset (see replyWithProblem).
 */
export function acceptJsonBodies(server: FastifyInstance, bodyLimit: number): void {
  server.removeAllContentTypeParsers();
  server.addContentTypeParser(JSON_TYPE, (request, payload, parsed) => {
    const done = once(parsed); // after a refusal the body may still end, or fail: one answer
    if (Number(request.headers['content-length'] ?? 0) > bodyLimit) return done(tooLarge(bodyLimit), undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= bodyLimit) return chunks.push(chunk);
      payload.removeListener('data', onData).removeListener('end', onEnd);
      done(tooLarge(bodyLimit), undefined);
    };
    const onEnd = () => {
      try {
        done(null, parseJsonBody(Buffer.concat(chunks, size), charsetOf(request.headers['content-type'])));
      } catch (error) {
        done(error as Error, undefined);
      }
    };
    payload.on('data', onData).on('end', onEnd);
    payload.on('error', (error) => done(error, undefined));
  });
  server.addContentTypeParser('*', (request, _payload, done) => {
    const header = request.headers['content-type'];
    done(
      new HttpException(
        `Content-Type ${header ?? '(none)'} is not supported; send application/json`,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      ),
      undefined,
    );
  });
}

function once<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
  let called = false;
  return (...args) => {
    if (!called) callback(...args);
    called = true;
  };
}

function tooLarge(bodyLimit: number): HttpException {
  return new HttpException(`Request body is larger than the limit of ${bodyLimit} bytes`, HttpStatus.PAYLOAD_TOO_LARGE);
}

/** A Content-Type header's media type and charset; undefined when it is absent or malformed. */
export function parsedContentType(header: string | undefined): { type: string; charset?: string } | undefined {
  if (header === undefined) return undefined;
  try {
    const { type, parameters } = parseContentType(header);
    return { type, charset: parameters.charset?.toLowerCase() };
  } catch {
    return undefined;
  }
}

/** The charset a body is read in: UTF-8 when the header names none (or an empty one). */
function charsetOf(header: string | undefined): string {
  return parsedContentType(header)?.charset || 'utf-8';
}

/** An object or array (strict JSON); an empty body is `{}`. */
export function parseJsonBody(body: Buffer, charset: string): unknown {
  const utf8 = toCheckedUtf8(body, charset);
  const ascii = Buffer.from(utf8.buffer, utf8.byteOffset, utf8.byteLength).toString('latin1'); // the patterns are ASCII
  const text = Buffer.from(utf8.buffer, utf8.byteOffset, utf8.byteLength)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (text.length === 0) return {};
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') {
    throw new HttpException('Request body is not valid JSON: it must be an object or an array', HttpStatus.BAD_REQUEST);
  }
  const numbers = MAY_HOLD_INEXACT_NUMBERS.test(ascii);
  let parsed: unknown;
  try {
    parsed = numbers ? (JSON.parse(text, markInexactIntegers) as unknown) : (JSON.parse(text) as unknown);
  } catch (error) {
    throw new HttpException(`Request body is not valid JSON: ${(error as Error).message}`, HttpStatus.BAD_REQUEST);
  }
  if (numbers || MAY_HOLD_UNSTORABLE_TEXT.test(ascii)) {
    const unacceptable = findUnacceptableValues(parsed);
    if (unacceptable.length) throw new RequestValidationError(unacceptable);
  }
  return parsed;
}

/** Any utf-* charset is read (transcoded to UTF-8 for the depth scan); a body nested too deep is refused unparsed. */
function toCheckedUtf8(body: Buffer, charset: string): Uint8Array {
  let utf8: Uint8Array = body;
  if (charset !== 'utf-8' && charset !== 'utf8') {
    const decoder = charset.startsWith('utf-') ? decoderFor(charset) : undefined;
    if (!decoder) {
      throw new HttpException(`unsupported charset "${charset.toUpperCase()}"`, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }
    utf8 = Buffer.from(decoder.decode(body), 'utf8');
  }
  if (exceedsJsonDepth(utf8, MAX_JSON_DEPTH)) {
    throw new HttpException(`Request body is nested deeper than ${MAX_JSON_DEPTH} levels`, HttpStatus.BAD_REQUEST);
  }
  return utf8;
}

function decoderFor(charset: string) {
  try {
    return new TextDecoder(charset);
  } catch {
    return undefined; // not a charset TextDecoder knows
  }
}
