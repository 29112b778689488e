import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { assignRequestId } from '@app/observability';

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
  417: 'The Expect header names an expectation the server does not support; only 100-continue is',
  431: 'The request header fields are larger than the server accepts',
};

const MISSING_HOST = 'An HTTP/1.1 request must carry a Host header';
const UNFRAMED_BODY =
  'Transfer-Encoding must end in chunked: a body of any other coding has no length the server can read';
const NOT_A_PROXY = 'This server is not a proxy: CONNECT is not supported';
/** Every method a route of this server answers, for the Allow header of a refused CONNECT. */
const SERVED_METHODS = 'GET, HEAD, POST, PUT, DELETE';

/**
 * How long a refused connection is still read, after the answer, while the client may be sending
 * the rest of its request: long enough for a body in flight, short enough not to hold a socket.
 */
const LINGER_MS = 2_000;
/** Connections answered and closing: what still arrives on them is dropped, not answered again. */
const lingering = new WeakSet<Duplex>();

/** A problem body; `instance` is left out when the request line could not be read. */
const problemBody = (status: number, detail: string, requestId: string, instance?: string) =>
  JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, instance, requestId });

/**
 * Requests that Node's HTTP parser refuses never reach the application, so Node answers them with a
 * bare status line. This answers them like every other error: a problem+json body with a request id
 * (a new one: the headers were not read) but no instance; the connection is closed, as the parser
 * cannot resume.
 * The same goes for the few requests Node parses but answers itself, or lets through though it
 * should not (see answerNodesOwnRefusals).
 */
export function answerClientErrorsWithProblems(server: Server): void {
  answerNodesOwnRefusals(server);
  server.on('clientError', answerClientError);
}

/** The `clientError` listener of answerClientErrorsWithProblems (Fastify takes it as its clientErrorHandler). */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (lingering.has(socket)) return;
  // Nothing can be said on a connection the client reset, or after a response started on it; a
  // response that is complete (one of the refusals below) is still delivered before the close.
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean; writableEnded?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  if (inFlight?.headersSent) {
    if (inFlight.writableEnded) closeLingering(socket);
    else socket.destroy();
    return;
  }
  const status = STATUS_BY_CODE[error.code ?? ''] ?? 400;
  const title = STATUS_CODES[status] ?? 'Bad Request';
  const requestId = randomUUID();
  const body = problemBody(status, DETAIL_BY_STATUS[status], requestId);
  socket.write(
    `HTTP/1.1 ${status} ${title}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `X-Request-Id: ${requestId}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
  closeLingering(socket);
}

/**
 * Closes a connection whose client may still be sending its request (RFC 9112, 9.6): the answer and
 * a FIN go out, and what still arrives is read and dropped until the client closes its side or
 * LINGER_MS pass. Destroying the socket at once would make the kernel answer unread bytes with a
 * reset, which can reach the client before it has read the answer (a `write EPIPE` and no response).
 */
function closeLingering(socket: Duplex): void {
  lingering.add(socket);
  socket.end();
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  socket.once('end', () => socket.destroy());
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Node answers three well-formed requests itself, before any listener sees them: an HTTP/1.1
 * request without Host (400, as RFC 9112 requires) and an Expect other than 100-continue (417) with
 * a status and no body, and CONNECT by closing the connection without a word. All three become
 * problems: Expect and CONNECT through the events Node offers for them, Host by turning Node's check
 * off and making it here, in front of the application's listener. A fourth it lets through though it
 * cannot be framed (see hasUnframedBody) is refused in the same place.
 */
export function answerNodesOwnRefusals(server: Server): void {
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    // Node hands the socket over without its own error listener: a reset must not crash the process.
    socket.on('error', () => socket.destroy());
    const requestId = randomUUID();
    const body = problemBody(405, NOT_A_PROXY, requestId, req.url);
    socket.write(
      'HTTP/1.1 405 Method Not Allowed\r\n' +
        `X-Request-Id: ${requestId}\r\n` +
        `Allow: ${SERVED_METHODS}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
    closeLingering(socket);
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
    // The body, if any, is not read: the connection cannot be reused.
    sendProblem(req, res, 417, DETAIL_BY_STATUS[417]),
  );
  // The createServer option `requireHostHeader`, which Node reads from the server on every request;
  // Nest creates the server without options, so it is set on the server.
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
  const application = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) return sendProblem(req, res, 400, MISSING_HOST);
    if (hasUnframedBody(req)) return sendProblem(req, res, 400, UNFRAMED_BODY);
    for (const listener of application) listener.call(server, req, res);
  });
}

/**
 * A request whose Transfer-Encoding does not end in chunked has a body of no knowable length. Node's
 * parser refuses it only after the request was handed to the application: a route that answers at
 * once answered 200 on a connection it promised to keep alive, which Node then dropped, failing the
 * client's next request on it. RFC 9112 (6.3) asks for a 400 and a closed connection, before anything.
 */
function hasUnframedBody(req: IncomingMessage): boolean {
  const codings = req.headers['transfer-encoding'];
  return codings !== undefined && !/(^|,)[ \t]*chunked[ \t]*$/i.test(codings);
}

/** A refusal of a request Node parsed: it has a target and gets a request id, like any other problem. */
function sendProblem(req: IncomingMessage, res: ServerResponse, status: number, detail: string): void {
  const body = problemBody(status, detail, assignRequestId(req, res), req.url);
  closeWhenAnswered(res);
  res.writeHead(status, { 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Makes the response the connection's last: it says `Connection: close`, and once it is sent the
 * connection lingers (closeLingering) rather than being destroyed, for a client still sending the
 * body of a request refused before it was read.
 */
export function closeWhenAnswered(res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  // Node closes a `Connection: close` response's socket with destroySoon once the response is sent.
  const socket = res.socket as (Duplex & { destroySoon?: () => void }) | null;
  if (socket) socket.destroySoon = () => closeLingering(socket);
}
