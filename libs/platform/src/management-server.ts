import { BeforeApplicationShutdown, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { answerClientErrorsWithProblems } from '@app/http';

/** Probes and scrapes; matched as the router matches, without regard to case or a trailing slash. */
const isManagementPath = (path: string) => /^\/(health(\/.*)?|metrics)\/*$/i.test(path);

/**
 * MANAGEMENT_PORT: a second server over the same application, serving /health/* and /metrics, which
 * the public port then no longer serves (and the management port serves nothing else). Scrapes and
 * probes stay off the port the world reaches, and a network policy can tell them apart by port.
 */
@Injectable()
export class ManagementServer implements BeforeApplicationShutdown {
  private server?: Server;
  private readonly received = new WeakSet<IncomingMessage>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.http.managementPort !== undefined;
  }

  /** A route asked for on the other port is not found there. */
  separateRoutes(server: FastifyInstance): void {
    server.addHook('onRequest', (request, _reply, done) => {
      const path = request.url.split('?')[0];
      if (isManagementPath(path) === this.received.has(request.raw)) return done();
      done(new NotFoundException(`Cannot ${request.method} ${path}`));
    });
  }

  async listen(application: RequestListener, host: string): Promise<void> {
    const port = this.config.http.managementPort;
    if (port === undefined) return;
    const server = createServer((req, res) => {
      this.received.add(req);
      application(req, res);
    });
    answerClientErrorsWithProblems(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    this.server = server;
  }

  /** The port it listens on (MANAGEMENT_PORT, or the one picked for 0); undefined without one. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  /** Closed before the public server: the process is going, probes may say so by failing to connect. */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}
