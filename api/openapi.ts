/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
import { z } from 'zod';
import type { RouteDoc } from './route-doc.js';
import { components, Problem } from './schemas/common.js';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** A registered schema by reference; anything else inline. */
function schemaOf(schema: z.ZodType): unknown {
  const id = components.get(schema)?.id;
  if (id) return ref(id);
  const { $schema: _, ...inline } = z.toJSONSchema(schema, { io: 'output' }) as Record<string, unknown>;
  return inline;
}

function parameters(doc: RouteDoc): unknown[] {
  const out: unknown[] = [];
  for (const [name, description] of Object.entries(doc.pathParams ?? {})) {
    out.push({ name, in: 'path', required: true, description, schema: { type: 'string' } });
  }
  if (doc.query) {
    // `io: 'input'`: a parameter is documented as the text a client sends, before conversion.
    const json = z.toJSONSchema(doc.query, { io: 'input' }) as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      const { description, examples, ...schema } = prop;
      out.push({
        name,
        in: 'query',
        required: json.required?.includes(name) ?? false,
        ...(description ? { description } : {}),
        ...(Array.isArray(examples) && examples.length > 0 ? { example: examples[0] } : {}),
        schema,
      });
    }
  }
  return out;
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

function operation(doc: RouteDoc): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    responses[status] = r.schema
      ? {
          description: r.description,
          content: { [r.contentType ?? 'application/json']: { schema: schemaOf(r.schema) } },
        }
      : { description: r.description };
  }
  if (doc.query || doc.body)
    responses['400'] ??= problem(
      'a parameter or body field broke a rule, or a query parameter was given twice; `param` names it',
    );
  if (doc.body) responses['413'] ??= problem('the request body is over 64 KiB');
  if (!doc.public) {
    responses['401'] ??= problem('no key, or an unknown key');
    responses['403'] ??= problem('the key lacks the role or county');
    responses['429'] ??= problem('too many failed key attempts from this address; see Retry-After');
  }
  const roles = doc.roles ? `\n\nRoles: ${doc.roles.join(', ')}.` : '';
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description || roles ? { description: `${doc.description ?? ''}${roles}`.trim() } : {}),
    tags: [doc.tag],
    parameters: parameters(doc),
    ...(doc.body
      ? {
          requestBody: {
            required: false,
            content: {
              'application/json': { schema: schemaOf(doc.body) },
              ...Object.fromEntries(
                (doc.fileBodies ?? []).map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
              ),
            },
          },
        }
      : {}),
    responses,
    ...(doc.public ? { security: [] } : {}),
  };
}

export function buildOpenApi(docs: readonly RouteDoc[], version: string): Record<string, unknown> {
  // Touch Problem so its registration has run before the components are converted.
  void Problem;
  const all = z.toJSONSchema(components, { uri: (id) => `#/components/schemas/${id}` });
  const schemas: Record<string, unknown> = {};
  for (const [id, s] of Object.entries(all.schemas)) {
    const { $schema: _s, $id: _i, ...rest } = s as Record<string, unknown>;
    schemas[id] = rest;
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of docs) {
    const path = paths[d.path] ?? {};
    path[d.method] = operation(d);
    paths[d.path] = path;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'waterline API',
      version,
      description:
        'Alerts for county operators, coverage for planners, devices and readings. Every route under ' +
        '/api/v1 needs `Authorization: Bearer <key>`; errors are RFC 9457 problem details.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
