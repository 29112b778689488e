import { Injectable, NestMiddleware } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import type { Gauge, Histogram } from 'prom-client';
import { Metric } from './metrics';

/** Times every request, including those rejected before a controller (404, 413, 415). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(
    @InjectMetric(Metric.httpDuration) private readonly duration: Histogram<'method' | 'route' | 'status_class'>,
    @InjectMetric(Metric.httpInFlight) private readonly inFlight: Gauge,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.duration.startTimer();
    this.inFlight.inc();
    res.once('close', () => {
      this.inFlight.dec();
      // The route template (never the raw path, which carries ids). Unknown paths end in Nest's
      // catch-all route (a wildcard) or in none; they share one label.
      const template: unknown = req.route?.path;
      const route = typeof template === 'string' && !template.includes('*') ? `${req.baseUrl}${template}` : 'unmatched';
      end({ method: req.method, route, status_class: `${Math.floor(res.statusCode / 100)}xx` });
    });
    next();
  }
}
