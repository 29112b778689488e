import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * Every route takes an X-Request-Id and answers with one (see assignRequestId in observability): the
 * document says so on every operation and every response, from one definition of each.
 */
const REQUEST_ID_PATTERN = '^[A-Za-z0-9_.:-]{1,128}$';

export function documentRequestIds(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  (components.parameters ??= {}).RequestId = {
    name: 'X-Request-Id',
    in: 'header',
    required: false,
    description:
      'Your id for this request, echoed in X-Request-Id, in problem bodies and on the events it causes; ' +
      'a value of another form is ignored and a new id is made',
    schema: { type: 'string', pattern: REQUEST_ID_PATTERN, example: 'checkout-7f3c1e' },
  };
  (components.headers ??= {}).RequestId = {
    required: true,
    description: 'The X-Request-Id sent, or the id the server made (a UUID)',
    schema: { type: 'string', pattern: REQUEST_ID_PATTERN },
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch, item.head, item.options]) {
      if (!operation) continue;
      operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/RequestId' }];
      for (const response of Object.values(operation.responses)) {
        if (!response || '$ref' in response) continue;
        response.headers = { ...response.headers, 'X-Request-Id': { $ref: '#/components/headers/RequestId' } };
      }
    }
  }
  return document;
}
