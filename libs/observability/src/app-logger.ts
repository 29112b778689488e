import type { AppConfig } from '@app/config';
import { Logger, type Params, PinoLogger } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import pretty from 'pino-pretty';

let jsonStdout: DestinationStream | undefined;
/** One stdout stream for every JSON logger of the process, written synchronously (pino's default is not). */
const jsonLines = () => (jsonStdout ??= pino.destination({ dest: 1, sync: true }));

/** Probes and scrapes, by the path as sent (middleware sees `url` without the path it is mounted on). */
const isProbeOrScrape = (url = '') => /^\/(health|metrics)/i.test(url);

/**
 * The one logger configuration: JSON lines (or readable lines on a terminal), every HTTP line with
 * its request id. Written synchronously, so each line carries the time it happened.
 */
export function loggerParams(config: AppConfig): Params {
  const options = {
    level: config.logLevel,
    // Every line of a request carries its id (the server's request.id): the request logger's one binding. (pino-http's
    // customProps would stack a second child logger on each request, a fifth of a cached read's CPU.)
    customAttributeKeys: { req: 'requestId' },
    // The request line itself also says what was asked.
    customSuccessObject: (req: unknown, _res: unknown, line: object) => ({ req, ...line }),
    customErrorObject: (req: unknown, _res: unknown, _err: unknown, line: object) => ({ req, ...line }),
    // Probes and scrapes would drown the useful lines. Above info, no request line would be
    // written anyway: skip the per-request bookkeeping too.
    autoLogging: ['trace', 'debug', 'info'].includes(config.logLevel)
      ? { ignore: (req: { originalUrl?: string; url?: string }) => isProbeOrScrape(req.originalUrl ?? req.url) }
      : false,
    // What a request line needs, nothing more: pino-http's own response serializer copies and
    // writes every response header (about 5% of a cached read's CPU).
    serializers: {
      requestId: (req: { id: unknown }) => req.id,
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  if (config.logFormat === 'json') return { pinoHttp: [options, jsonLines()] };
  const stream = pretty({
    sync: true,
    colorize: true,
    // One line per request on a terminal: method, path, status and time.
    ignore: 'pid,hostname,context,req,res,responseTime,requestId',
    messageFormat:
      '{if context}[{context}] {end}{msg}{if req.method} {req.method} {req.url} -> {res.statusCode} in {responseTime} ms{end}',
    translateTime: 'HH:MM:ss.l',
  });
  return { pinoHttp: [options, stream] };
}

/** Nest's own start-up chatter (one line per module and route): useful when debugging, noise otherwise. */
const FRAMEWORK_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

class AppLogger extends Logger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    if (FRAMEWORK_CHATTER.has(String(optionalParams.at(-1)))) super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

/** The application's logger, usable before Nest has built anything (start-up lines are not held back). */
export function createAppLogger(config: AppConfig): Logger {
  const params = loggerParams(config);
  return new AppLogger(new PinoLogger(params), params);
}
