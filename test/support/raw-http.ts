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
