import { Agent, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { rawExchange } from '../raw-http';
import { describeRequest, type FuzzRequest } from './requests';

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** From the first byte written to the last byte read. */
  ms: number;
  /** Set when no response arrived at all (the connection was closed or reset). */
  error?: string;
}

/**
 * Sends fuzzed requests as they are (no URL normalisation, any bytes as the body) over a few
 * kept-alive connections, timing each. Node's own client, as fetch refuses bodies on GET and
 * rewrites targets.
 */
export class FuzzClient {
  private readonly agent: Agent;
  /** The request each kept-alive connection carried last: a closed connection is often its doing. */
  private readonly lastOn = new WeakMap<Socket, FuzzRequest>();
  sent = 0;

  constructor(
    private readonly port: number,
    connections: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  send(req: FuzzRequest, timeoutMs = 10_000): Promise<FuzzResponse> {
    this.sent++;
    const headers: Record<string, string | string[]> = { ...req.headers };
    if (req.body && !req.chunked) headers['content-length'] = String(req.body.length);
    // Said explicitly: for GET and DELETE Node's client would otherwise send the body unframed.
    if (req.body && req.chunked) headers['transfer-encoding'] = 'chunked';
    const started = performance.now();
    return new Promise((resolve) => {
      const answer = (response: Omit<FuzzResponse, 'ms'>) => resolve({ ...response, ms: performance.now() - started });
      let outgoing: ReturnType<typeof httpRequest>;
      try {
        outgoing = httpRequest({
          host: '127.0.0.1',
          port: this.port,
          method: req.method,
          path: req.target,
          headers,
          agent: this.agent,
        });
      } catch (error) {
        // The client itself refused the request (a character no header can hold): nothing was sent.
        this.sent--;
        return answer({ status: -1, headers: {}, text: '', error: `not sendable: ${String(error)}` });
      }
      outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      let previous: FuzzRequest | undefined;
      outgoing.on('socket', (socket: Socket) => {
        previous = this.lastOn.get(socket);
        this.lastOn.set(socket, req);
      });
      const failed = (error: Error) =>
        answer({
          status: 0,
          headers: {},
          text: '',
          error: `${String(error)}; the connection's previous request: ${previous ? describeRequest(previous) : '(none)'}`,
        });
      outgoing.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          answer({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', failed);
      });
      outgoing.on('error', failed);
      if (req.body && req.chunked) {
        const half = req.body.length >> 1;
        outgoing.write(req.body.subarray(0, half));
        outgoing.end(req.body.subarray(half));
      } else {
        outgoing.end(req.body);
      }
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Sends bytes as they are over a new connection and reads the answer until the server closes it. */
export async function sendRaw(port: number, raw: string): Promise<FuzzResponse> {
  const started = performance.now();
  try {
    const answer = await rawExchange(port, raw);
    const status = Number(answer.statusLine.split(' ')[1]);
    return { status, headers: answer.headers, text: answer.body, ms: performance.now() - started };
  } catch (error) {
    return { status: 0, headers: {}, text: '', ms: performance.now() - started, error: String(error) };
  }
}
