import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { assertResponseMatches } from './response-check.ts';
import { logger } from '../observability/index.ts';
import type { RouteDef } from './route.ts';

const route = (response: z.ZodType): RouteDef => ({
  method: 'get',
  path: '/things',
  permission: 'public',
  summary: 'things',
  response,
  handler: () => undefined,
});
const thing = z.object({ id: z.string(), amount: z.number().int(), note: z.string().nullable() });

afterEach(() => vi.restoreAllMocks());

function failure(def: RouteDef, body: unknown): { status: number; code: string; details: unknown } {
  vi.spyOn(logger(), 'error').mockImplementation(() => undefined);
  try {
    assertResponseMatches(def, body);
  } catch (err) {
    return err as { status: number; code: string; details: unknown };
  }
  throw new Error('expected a RESPONSE_SCHEMA error');
}

describe('response schema check', () => {
  it('accepts an answer of the documented shape, as JSON would send it', () => {
    expect(() => assertResponseMatches(route(thing), { id: 'a', amount: 150000, note: null, skipped: undefined })).not.toThrow();
    expect(() => assertResponseMatches(route(z.object({ at: z.string() })), { at: new Date(0) })).not.toThrow();
  });

  it('refuses a wrong type with RESPONSE_SCHEMA and the zod issue', () => {
    const err = failure(route(thing), { id: 'a', amount: 1.5, note: null });
    expect(err.status).toBe(500);
    expect(err.code).toBe('RESPONSE_SCHEMA');
    expect(err.details).toEqual([expect.objectContaining({ path: 'amount' })]);
  });

  it('refuses a field the schema does not document, also inside arrays', () => {
    const err = failure(route(z.object({ items: z.array(thing) })), { items: [{ id: 'a', amount: 1, note: null, secret: 'x' }] });
    expect(err.details).toEqual([{ path: 'items[0].secret', message: 'not in the response schema' }]);
  });

  it('leaves routes without a schema and empty answers alone', () => {
    expect(() => assertResponseMatches({ ...route(thing), response: undefined }, { anything: 1 })).not.toThrow();
    expect(() => assertResponseMatches(route(thing), undefined)).not.toThrow();
  });
});
