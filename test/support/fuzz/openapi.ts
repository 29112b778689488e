/** The part of an OpenAPI 3.0 document the fuzzer reads: operations, their parameters and bodies. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface OperationObject {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

/** One method on one path, with every `$ref` in its parameters and body resolved. */
export interface Operation {
  method: string;
  /** The path template, e.g. `/api/orders/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The application/json request body, if the operation takes one. */
  body?: { required: boolean; schema: Schema };
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** Every operation of the document, in its order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const resolve = (schema: Schema | undefined): Schema => resolveRefs(doc, schema ?? {}, new Set());
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => {
        const json = op.requestBody?.content?.['application/json'];
        return {
          method: method.toUpperCase(),
          path,
          parameters: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) })),
          body: json ? { required: op.requestBody?.required ?? false, schema: resolve(json.schema) } : undefined,
        };
      }),
  );
}

/** The schema with `$ref`s inlined; a recursive reference stops at an empty schema. */
function resolveRefs(doc: OpenApiDocument, schema: Schema, seen: Set<string>): Schema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target || seen.has(name)) return {};
    return resolveRefs(doc, target, new Set([...seen, name]));
  }
  const resolved: Schema = { ...schema };
  if (schema.items) resolved.items = resolveRefs(doc, schema.items, seen);
  if (schema.properties) {
    resolved.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, resolveRefs(doc, value, seen)]),
    );
  }
  return resolved;
}
