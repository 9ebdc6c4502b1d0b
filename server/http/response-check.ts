import type { RouteDef } from './route.ts';
import { ResponseSchemaError } from './errors.ts';
import { logger } from '../observability/index.ts';

/**
 * Test builds check every JSON answer against its route's response schema, so a handler that drifts from the
 * documented shape (which OpenAPI and the renderer's types are made of) fails the API suites instead of a client.
 * Off in production: the check costs a parse per response and a mismatch there is better answered than refused.
 */
export const responseChecksEnabled = (): boolean => process.env.KLUSTERA_VALIDATE_RESPONSES === '1';

/** Paths present in what was sent but dropped by the schema: fields the schema does not document. */
function undocumentedPaths(sent: unknown, parsed: unknown, at: string, out: string[]): void {
  if (Array.isArray(sent) && Array.isArray(parsed)) {
    sent.forEach((item, i) => undocumentedPaths(item, parsed[i], `${at}[${i}]`, out));
    return;
  }
  if (sent && typeof sent === 'object' && parsed && typeof parsed === 'object') {
    for (const key of Object.keys(sent)) {
      const path = at ? `${at}.${key}` : key;
      if (!(key in parsed)) out.push(path);
      else undocumentedPaths((sent as Record<string, unknown>)[key], (parsed as Record<string, unknown>)[key], path, out);
    }
  }
}

export function assertResponseMatches(def: RouteDef, body: unknown): void {
  if (!def.response || body === undefined) return;
  // What the client receives is the JSON text, not the handler's objects (Dates, undefined fields).
  const sent = JSON.parse(JSON.stringify(body));
  const result = def.response.safeParse(sent);
  const issues: unknown[] = result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  if (result.success) {
    const extra: string[] = [];
    undocumentedPaths(sent, result.data, '', extra);
    for (const path of extra) issues.push({ path, message: 'not in the response schema' });
  }
  if (!issues.length) return;
  logger().error({ route: `${def.method.toUpperCase()} ${def.path}`, issues: issues.slice(0, 20) }, 'answer outside its response schema');
  throw new ResponseSchemaError(issues);
}
