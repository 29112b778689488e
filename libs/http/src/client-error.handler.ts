import type { Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Node's own answers to requests its parser refuses, as Node chooses them (see `clientError`). */
const STATUS_BY_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

const DETAIL_BY_STATUS: Record<number, string> = {
  400: 'The request is not well-formed HTTP/1.1',
  408: 'The request did not arrive in time',
  413: 'The chunk extensions of the request are too large',
  431: 'The request header fields are larger than the server accepts',
};

/**
 * Requests that Node's HTTP parser refuses never reach the application, so Node answers them with a
 * bare status line. This answers them like every other error: a problem+json body. There is no
 * request, so no request id or instance; the connection is closed, as the parser cannot resume.
 */
export function answerClientErrorsWithProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Nothing can be said on a connection the client reset, or after a response started on it.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const status = STATUS_BY_CODE[error.code ?? ''] ?? 400;
    const title = STATUS_CODES[status] ?? 'Bad Request';
    const body = JSON.stringify({ type: 'about:blank', title, status, detail: DETAIL_BY_STATUS[status] });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
      () => socket.destroy(),
    );
  });
}
