import crypto from 'node:crypto';
import { z } from 'zod';
import type { RouteDef } from '../../server/http/route.ts';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
};

export function jsonSchemaOf(schema: z.ZodType | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

function firstConcrete(s: JsonSchema): JsonSchema {
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return firstConcrete(alt.find((a) => a.type !== 'null') ?? alt[0]);
  if (s.allOf?.length) return firstConcrete(s.allOf[0]);
  return s;
}

function typeOf(s: JsonSchema): string | undefined {
  const c = firstConcrete(s);
  if (Array.isArray(c.type)) return c.type.find((t) => t !== 'null');
  if (c.type) return c.type;
  if (c.enum) return typeof c.enum[0];
  if (c.properties) return 'object';
  return undefined;
}

/** A value that plausibly satisfies the schema, so that one deliberately wrong field is what the server rejects. */
export function plausibleValue(s: JsonSchema, name = ''): unknown {
  const c = firstConcrete(s);
  if (c.const !== undefined) return c.const;
  if (c.enum) return c.enum[0];
  if (c.default !== undefined) return c.default;
  switch (typeOf(c)) {
    case 'string': {
      if (c.format === 'uuid' || /(^|_)id$/.test(name)) return crypto.randomUUID();
      if (c.format === 'email' || name.includes('email')) return 'warga@griya-asri.id';
      if (c.format === 'date' || /_on$|date$/.test(name)) return '2026-11-01';
      if (c.format === 'date-time' || /_at$/.test(name)) return '2026-11-01T03:00:00.000Z';
      if (name.includes('phone')) return '081234567890';
      if (name === 'period') return '2026-11';
      if (c.pattern) return undefined;
      return 'Nilai uji'.slice(0, Math.max(c.minLength ?? 1, Math.min(c.maxLength ?? 9, 9)));
    }
    case 'integer':
    case 'number':
      return Math.max(c.minimum ?? 1, c.exclusiveMinimum !== undefined ? c.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'array':
      return c.items ? [plausibleValue(c.items, name)].filter((v) => v !== undefined) : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.properties ?? {})) {
        const val = plausibleValue(v, k);
        if (val !== undefined) out[k] = val;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** A value of the wrong JSON type for the schema. */
export function wrongTypeValue(s: JsonSchema): unknown {
  switch (typeOf(s)) {
    case 'string':
      return { not: 'a string' };
    case 'integer':
    case 'number':
      return 'sepuluh';
    case 'boolean':
      return 'mungkin';
    case 'array':
      return 'not-an-array';
    case 'object':
      return 42;
    default:
      return Symbol.for('skip');
  }
}

export function isStringSchema(s: JsonSchema): boolean {
  return typeOf(s) === 'string';
}

export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? values.default ?? 'x');
}

export function writeRoutes(routes: RouteDef[]): RouteDef[] {
  return routes.filter((r) => r.method !== 'get');
}
