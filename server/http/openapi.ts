import { z } from 'zod';
import type { RouteDef } from './route.ts';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function openApiDocument(defs: RouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of defs) {
    const path = '/api/v1' + def.path.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [...def.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (def.query) {
      const schema = jsonSchema(def.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: prop });
      }
    }
    if (def.idempotent) {
      parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } });
    }
    const op: Record<string, unknown> = {
      summary: def.summary,
      tags: def.tags ?? [
        def.path
          .split('/')
          .filter((s) => s && !s.startsWith(':'))
          .slice(-1)[0] ?? 'misc',
      ],
      'x-permission': def.permission,
      parameters,
      responses: {
        [String(def.status ?? 200)]: def.produces
          ? {
              description: 'OK',
              // A route that writes its own answer in several forms (reports: JSON, .xlsx, PDF) documents the shape
              // of its JSON form when it declares one.
              content: Object.fromEntries(
                def.produces.map((t) => [
                  t,
                  t === 'application/json' && def.response ? { schema: jsonSchema(def.response, 'output') } : {},
                ]),
              ),
            }
          : {
              description: 'OK',
              content: def.response ? { 'application/json': { schema: jsonSchema(def.response, 'output') } } : undefined,
            },
        '4XX': { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (def.body) {
      const type = def.upload ? 'multipart/form-data' : 'application/json';
      const schema = jsonSchema(def.body, 'input') as Record<string, unknown>;
      if (def.upload) {
        schema.properties = { ...(schema.properties as object), [def.upload.field]: { type: 'string', format: 'binary' } };
      }
      op.requestBody = { required: true, content: { [type]: { schema } } };
    }
    (paths[path] ??= {})[def.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Klustera API', version },
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
            },
          },
        },
      },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'klustera_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
