import fc from 'fast-check';
import { hostileUrlText } from './hostile-values';

/**
 * Requests only a raw socket can send: broken request lines, headers over Node's 16 KiB limit,
 * CR/LF/NUL inside header values (header injection), conflicting lengths. Each closes the connection
 * (or is broken enough that the server does), so the exchange ends with the server's answer.
 */
const CRLF = '\r\n';

const requestLines = [
  'GET /health/live HTTP/1.1',
  'GET /api/orders HTTP/1.1',
  'POST /api/orders HTTP/1.1',
  'GET /api/orders/00000000-0000-0000-0000-000000000000 HTTP/1.1',
];

const BROKEN_REQUEST_LINES = [
  'GARBAGE',
  'GET',
  'GET /',
  'GET / HTTP/9.9',
  'GET / HTTP/1.1 extra',
  'GET  /health/live  HTTP/1.1',
  'get /health/live HTTP/1.1',
  'G\u0000ET / HTTP/1.1',
  'GET /\u0000 HTTP/1.1',
  'GET /a b HTTP/1.1',
  'GET /\u00ff HTTP/1.1',
  'GET http://evil.example/api/orders HTTP/1.1',
  'GET //api//orders HTTP/1.1',
  'OPTIONS * HTTP/1.1',
  'CONNECT evil.example:443 HTTP/1.1',
  'PRI * HTTP/2.0',
  'BREW /coffee HTCPCP/1.0',
  `GET /${'a'.repeat(20_000)} HTTP/1.1`,
  '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003',
];

const HEADER_BLOCKS = [
  'Host: x',
  'Host: x' + CRLF + 'Host: y',
  '',
  'Host: x' + CRLF + 'X-Request-Id: a\nSet-Cookie: injected=1',
  'Host: x' + CRLF + 'X-Request-Id: a\rSet-Cookie: injected=1',
  'Host: x' + CRLF + 'X-Request-Id: a\u0000b',
  'Host: x' + CRLF + 'Idempotency-Key: k\u0000',
  'Host: x' + CRLF + 'If-Match: "1"\u0000',
  'Host: x' + CRLF + 'Bad Header: 1',
  'Host: x' + CRLF + ': no-name',
  'Host: x' + CRLF + 'X-Folded: a' + CRLF + ' continued',
  'Host: x' + CRLF + `X-Big: ${'a'.repeat(17_000)}`,
  'Host: x' + CRLF + Array.from({ length: 3_000 }, (_, i) => `X-${i}: ${i}`).join(CRLF),
  'Host: x' + CRLF + 'Content-Length: 1' + CRLF + 'Content-Length: 2',
  'Host: x' + CRLF + 'Content-Length: -1',
  'Host: x' + CRLF + 'Content-Length: abc',
  'Host: x' + CRLF + 'Content-Length: 99999999999999999999',
  'Host: x' + CRLF + 'Transfer-Encoding: chunked' + CRLF + 'Content-Length: 2',
  'Host: x' + CRLF + 'Transfer-Encoding: gzip, chunked',
  'Host: x' + CRLF + 'Transfer-Encoding: bogus',
  'Host: x' + CRLF + 'Transfer-Encoding: chunked',
  'Host: x' + CRLF + 'Expect: bogus',
  'Host: x' + CRLF + 'Expect: 100-continue',
  'Host: x' + CRLF + 'Upgrade: websocket' + CRLF + 'Connection: Upgrade',
];

/** Bodies after a chunked Transfer-Encoding: each ends, properly or by breaking the framing. */
const CHUNKED_BODIES = [
  '0' + CRLF + CRLF,
  '2' + CRLF + '{}' + CRLF + '0' + CRLF + CRLF,
  'zz' + CRLF + 'x' + CRLF + '0' + CRLF + CRLF,
  '-1' + CRLF + CRLF,
  `1;${'e'.repeat(20_000)}` + CRLF + 'x' + CRLF + '0' + CRLF + CRLF,
];

/** Bodies sent with a Content-Length of their size (unless the headers already declare one). */
const PLAIN_BODIES = ['', '{}', '{"customerId":', '\u0000\u00ff'];

export const rawRequest = (): fc.Arbitrary<string> =>
  fc
    .record({
      line: fc.oneof(fc.constantFrom(...requestLines), fc.constantFrom(...BROKEN_REQUEST_LINES)),
      headers: fc.constantFrom(...HEADER_BLOCKS),
      extra: fc.option(
        hostileUrlText().map((text) => `X-Fuzz: ${text}`),
        { nil: undefined },
      ),
      chunked: fc.constantFrom(...CHUNKED_BODIES),
      plain: fc.constantFrom(...PLAIN_BODIES),
    })
    .map(({ line, headers, extra, chunked, plain }) => {
      // The body always ends where the headers say, so the server never waits for more.
      const framed = /transfer-encoding|content-length/i.test(headers);
      const body = /chunked/i.test(headers) ? chunked : framed ? '' : plain;
      const length = !framed && body ? `Content-Length: ${Buffer.byteLength(body)}` : '';
      return [line, headers, extra, length, 'Connection: close']
        .filter((part) => part)
        .join(CRLF)
        .concat(CRLF, CRLF, body);
    });
