import type { Request } from 'express';
import { BadRequestError } from './errors.ts';

/**
 * Limits every request is held to before any route, authentication lookup or database sees it.
 *
 * - NUL (U+0000): PostgreSQL refuses it in text values, so a NUL that reaches a query became a 500 (on the public
 *   token route too). No field of this API has a use for it.
 * - Depth: validators, serializers and the audit diff walk values recursively; a 1 MB body of `[[[[…` overflows the
 *   stack in whichever runs first. Real bodies nest three or four levels.
 */
export const INPUT_LIMITS = {
  maxJsonDepth: 32,
  jsonBodyBytes: '1mb',
} as const;

const NUL = '\u0000';

export class NulByteError extends BadRequestError {
  constructor(field?: string) {
    super('NUL_BYTE', 'Teks tidak boleh berisi karakter NUL (\\u0000).', field);
  }
}

export class JsonTooDeepError extends BadRequestError {
  constructor() {
    super('JSON_TOO_DEEP', `Data bertingkat lebih dari ${INPUT_LIMITS.maxJsonDepth} tingkat.`);
  }
}

/**
 * Walks a parsed value without recursion (so the check itself cannot overflow) and throws on a NUL in any key or
 * string, or on nesting past `maxDepth`.
 */
export function assertSafeValue(value: unknown, where: string, maxDepth: number = INPUT_LIMITS.maxJsonDepth): void {
  if (typeof value === 'string') {
    if (value.includes(NUL)) throw new NulByteError(where);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const stack: Array<[unknown, number, string]> = [[value, 1, where]];
  while (stack.length) {
    const [node, depth, path] = stack.pop()!;
    if (depth > maxDepth) throw new JsonTooDeepError();
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node as object);
    for (const [key, child] of entries) {
      if (key.includes(NUL)) throw new NulByteError(path);
      const childPath = path ? `${path}.${key}` : key;
      if (typeof child === 'string') {
        if (child.includes(NUL)) throw new NulByteError(childPath);
      } else if (child !== null && typeof child === 'object') {
        stack.push([child, depth + 1, childPath]);
      }
    }
  }
}

/** The URL (path parameters and query string, still percent-encoded) and the JSON body of a request. */
export function assertSafeRequest(req: Request): void {
  const url = req.originalUrl ?? req.url;
  if (url.includes(NUL) || /%00/i.test(url)) throw new NulByteError();
  assertSafeValue(req.query, 'query');
  if (req.body !== undefined) assertSafeValue(req.body, '');
}
