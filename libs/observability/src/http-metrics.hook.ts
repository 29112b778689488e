import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyInstance } from 'fastify';
import type { Gauge, Histogram } from 'prom-client';
import { Metric } from './metrics';

/** Times every request the router takes, including those rejected before a controller (404, 413, 415). */
@Injectable()
export class HttpMetricsHook {
  constructor(
    @InjectMetric(Metric.httpDuration) private readonly duration: Histogram<'method' | 'route' | 'status_class'>,
    @InjectMetric(Metric.httpInFlight) private readonly inFlight: Gauge,
  ) {}

  register(server: FastifyInstance): void {
    server.addHook('onRequest', (request, reply, done) => {
      const end = this.duration.startTimer();
      this.inFlight.inc();
      // 'close' comes for an answered request and for one the client gave up on alike.
      reply.raw.once('close', () => {
        this.inFlight.dec();
        // The route template (never the raw path, which carries ids); unmatched paths share one label.
        const template = request.routeOptions.url;
        const route = template !== undefined && !template.includes('*') ? template : 'unmatched';
        end({ method: request.method, route, status_class: `${Math.floor(reply.raw.statusCode / 100)}xx` });
      });
      done();
    });
  }
}
