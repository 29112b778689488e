import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { appendFileSync } from 'node:fs';
import type { OpenAPIObject } from '@nestjs/swagger';
import { apiDocument } from './openapi-document';

/** What the response validator needs of an exchange. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  body: unknown;
}

type Json = Record<string, any>;
const DOCUMENT_ID = 'openapi.json';

/**
 * Checks responses against the OpenAPI document, as a client generated from it would read them: the
 * status is documented for the operation, the body has a documented media type and matches its
 * schema, and every required header is there with a value its schema allows.
 */
export class ResponseContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<object, ValidateFunction>();
  private readonly routes: { method: string; pattern: RegExp; operation: Json }[];

  constructor(private readonly document: OpenAPIObject) {
    addFormats(this.ajv);
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID } as Json);
    this.routes = Object.entries(document.paths).flatMap(([template, item]) =>
      Object.entries(item as Json).map(([method, operation]) => ({
        method: method.toUpperCase(),
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        operation: operation as Json,
      })),
    );
  }

  /** The problems of one exchange (none: it keeps the contract); undefined when no operation serves it. */
  check(exchange: Exchange): string[] | undefined {
    const path = exchange.path.split('?')[0];
    const method = exchange.method.toUpperCase() === 'HEAD' ? 'GET' : exchange.method.toUpperCase();
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) return undefined;
    const responses = route.operation.responses as Json;
    const response = responses[String(exchange.status)] ?? responses[`${String(exchange.status)[0]}XX`];
    if (!response) return [`status ${exchange.status} is not documented`];
    return [...this.headerProblems(response, exchange.headers), ...this.bodyProblems(response, exchange)];
  }

  private headerProblems(response: Json, headers: Headers): string[] {
    return Object.entries((response.headers ?? {}) as Json).flatMap(([name, header]) => {
      const resolved = this.resolve(header) as Json;
      const value = headers.get(name);
      if (value === null) return resolved.required ? [`header ${name} is missing`] : [];
      const schema = (resolved.schema ?? {}) as Json;
      const valid = this.validator(schema);
      // A header's schema describes its value as read (simple style): "2" is the integer 2.
      const numeric = (schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(value);
      return valid(numeric ? Number(value) : value)
        ? []
        : [`header ${name}: ${JSON.stringify(value)} ${this.ajv.errorsText(valid.errors)}`];
    });
  }

  private bodyProblems(response: Json, exchange: Exchange): string[] {
    const content = (response.content ?? {}) as Json;
    const type = (exchange.headers.get('content-type') ?? '').split(';')[0].trim();
    if (Object.keys(content).length === 0) {
      return exchange.body === '' || exchange.body === undefined ? [] : [`a body where none is documented`];
    }
    if (!(type in content)) return [`content type ${type || '(none)'} is not documented`];
    const valid = this.validator(content[type].schema ?? {});
    return valid(exchange.body) ? [] : [`body: ${this.ajv.errorsText(valid.errors, { dataVar: 'body' })}`];
  }

  /** A compiled schema whose `#/components/...` references point into the document. */
  private validator(schema: object): ValidateFunction {
    let validate = this.validators.get(schema);
    if (!validate) {
      const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', `"$ref":"${DOCUMENT_ID}#/`));
      validate = this.ajv.compile(rebased);
      this.validators.set(schema, validate);
    }
    return validate;
  }

  private resolve(value: Json): unknown {
    if (typeof value.$ref !== 'string') return value;
    return value.$ref
      .slice(2)
      .split('/')
      .reduce((node: Json, key: string) => node[key], this.document as Json);
  }
}

let contract: Promise<ResponseContract> | undefined;
const tally = { validated: 0, outside: 0 };

/**
 * Fails the calling test when a response breaks the document; responses of routes the document
 * does not describe (Swagger UI, unknown paths) are only counted. The tally is printed when the
 * process exits, and added to OPENAPI_CONTRACT_TALLY (a file) when the test runner sets it.
 */
export async function assertKeepsContract(exchange: Exchange): Promise<void> {
  contract ??= apiDocument().then((document) => new ResponseContract(document));
  const problems = (await contract).check(exchange);
  if (tally.validated + tally.outside === 0) process.once('exit', reportTally);
  if (!problems) {
    tally.outside++;
    return;
  }
  tally.validated++;
  if (problems.length > 0) {
    throw new Error(
      `${exchange.method} ${exchange.path} answered ${exchange.status}, which the OpenAPI document does not allow:\n` +
        `  ${problems.join('\n  ')}\n  body: ${JSON.stringify(exchange.body).slice(0, 500)}`,
    );
  }
}

function reportTally(): void {
  process.stderr.write(
    `OpenAPI contract: ${tally.validated} responses validated (${tally.outside} from routes outside the document)\n`,
  );
  if (process.env.OPENAPI_CONTRACT_TALLY) {
    appendFileSync(process.env.OPENAPI_CONTRACT_TALLY, `${tally.validated} ${tally.outside}\n`);
  }
}
