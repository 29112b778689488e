import { connect } from 'node:net';

export interface RawResponse {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes no HTTP client would send (a broken request line, oversized headers) and reads what
 * the server answers until it closes the connection.
 */
export function rawExchange(port: number, request: string, timeoutMs = 5_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('no answer before the timeout')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may reset the connection once it has answered; what arrived before still counts.
    socket.on('error', (error) => (chunks.length ? undefined : reject(error)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split === -1) return reject(new Error(`not an HTTP response: ${JSON.stringify(text)}`));
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      resolve({ statusLine, headers, body: text.slice(split + 4) });
    });
    socket.write(request);
  });
}

export interface RefusalWhileSending {
  /** What the server said, read before the rest of the body was sent. */
  answer: string;
  /** An error the client met while sending the rest or closing (a reset), if any. */
  error?: string;
}

/**
 * Sends a request's head, waits for the server's answer, then goes on sending the body, as a client
 * that writes a large body without waiting does. A server that closes such a connection by resetting
 * it loses the client its answer; one that lingers lets it finish writing and read it.
 */
export function sendBodyAfterAnswer(port: number, head: string, chunks = 8, chunkBytes = 64 * 1024) {
  return new Promise<RefusalWhileSending>((resolve) => {
    // Half-open: the server's FIN after its answer must not end the client's sending.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let answer = '';
    let error: string | undefined;
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer before the timeout')));
    socket.on('error', (cause: NodeJS.ErrnoException) => (error ??= cause.code ?? String(cause)));
    socket.on('close', () => resolve({ answer, error }));
    const sendTheRest = (sent: number) => {
      if (socket.destroyed) return;
      if (sent === chunks) return socket.end();
      socket.write(Buffer.alloc(chunkBytes, 'x'));
      setTimeout(sendTheRest, 20, sent + 1);
    };
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.once('data', () => sendTheRest(0));
    socket.write(head);
  });
}

export interface EndlessUpload {
  /** What the server said. */
  answer: string;
  /** Body bytes written before the first byte of the answer arrived. */
  sentBeforeAnswer: number;
}

/**
 * Sends a request's head, then body bytes without end (in chunks when `chunked`), as a client that
 * uploads for as long as the server lets it; resolves once the server has closed the connection, or
 * rejects when it has not after `timeoutMs`.
 */
export function uploadWithoutEnd(port: number, head: string, chunked: boolean, timeoutMs = 15_000) {
  return new Promise<EndlessUpload>((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const piece = Buffer.alloc(64 * 1024, ' ');
    const framed = chunked ? Buffer.concat([Buffer.from('10000\r\n'), piece, Buffer.from('\r\n')]) : piece;
    let answer = '';
    let sent = 0;
    let sentBeforeAnswer = -1;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    const send = () => {
      while (!socket.destroyed && socket.write(framed)) sent += piece.length;
    };
    socket.on('drain', () => {
      sent += piece.length;
      send();
    });
    socket.on('data', (chunk: Buffer) => {
      if (sentBeforeAnswer < 0) sentBeforeAnswer = sent;
      answer += chunk.toString('utf8');
    });
    // Writing into a connection the server has given up on fails: that is the end looked for.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`the server still read the upload after ${timeoutMs} ms`));
      else resolve({ answer, sentBeforeAnswer });
    });
    socket.write(head);
    send();
  });
}

/**
 * Sends requests on one connection, each once the answer to the one before has arrived in full (as
 * a client reusing a kept-alive connection does), and returns the status lines of the answers that
 * came before the server closed the connection or `waitMs` passed.
 */
export function onOneConnection(port: number, requests: string[], waitMs = 2_000): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const statuses: string[] = [];
    let pending = Buffer.alloc(0);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(statuses);
    };
    const timer = setTimeout(finish, waitMs);
    const sendNext = () => (statuses.length < requests.length ? socket.write(requests[statuses.length]) : finish());
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const headEnd = pending.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = pending.subarray(0, headEnd).toString('latin1');
      const length = Number(/^content-length: *(\d+)/im.exec(head)?.[1] ?? 0);
      if (pending.length < headEnd + 4 + length) return;
      statuses.push(head.split('\r\n')[0]);
      pending = pending.subarray(headEnd + 4 + length);
      sendNext();
    });
    socket.on('error', () => undefined);
    socket.on('close', finish);
    sendNext();
  });
}
