// knex is used through its public API only: a knex release may rearrange its private modules and fields at will,
// and every request runs through them. A source scan of server/ keeps it that way.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const thisFile = fileURLToPath(import.meta.url);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|tsx|mts|js|mjs|cjs)$/.test(entry.name) && full !== thisFile ? [full] : [];
  });
}

const RULES: { what: string; pattern: RegExp; anyFile?: boolean }[] = [
  { what: "a module inside the knex package ('knex/…')", pattern: /['"`]knex\/[^'"`]*['"`]/, anyFile: true },
  { what: "knex's builder and transaction factories", pattern: /\b(makeKnex|makeTxClient|makeTransactor)\b/, anyFile: true },
  {
    what: 'private methods of knex clients and transactions',
    pattern: /\b(_formatBindings|_optSafeIntegers|_query|_stream|_completed|_transaction|_evaluateContainer|_statements|_single|_method)\b/,
    anyFile: true,
  },
  {
    what: "a knex instance's client object (pool, connection handling, config)",
    pattern: /\.client\b|\b(acquireConnection|releaseConnection|acquireRawConnection)\b/,
  },
  { what: 'an underscore-prefixed field', pattern: /\.\s*_[A-Za-z]\w*|\[\s*['"`]_[A-Za-z]\w*['"`]\s*\]/ },
];

function violations(source: string, file: string): string[] {
  const usesKnex = /from\s+['"]knex['"]|require\(\s*['"]knex['"]\s*\)/.test(source);
  const found: string[] = [];
  source.split('\n').forEach((line, i) => {
    for (const rule of RULES) {
      if ((rule.anyFile || usesKnex) && rule.pattern.test(line))
        found.push(`${path.relative(serverDir, file)}:${i + 1}: ${rule.what}: ${line.trim()}`);
    }
  });
  return found;
}

describe('knex through its public API only', () => {
  it('no file under server/ imports a knex-internal module or touches knex-private fields', () => {
    const files = sourceFiles(serverDir);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((file) => violations(readFileSync(file, 'utf8'), file))).toEqual([]);
  });

  it('recognises what it forbids', () => {
    const knexFile = "import type { Knex } from 'knex';\n";
    expect(violations("const C = require('knex/lib/dialects/better-sqlite3');", 'a.ts')).toHaveLength(1);
    expect(violations("import x from 'knex/lib/knex-builder/make-knex.js';", 'a.ts')).toHaveLength(1);
    expect(violations('const b = self._formatBindings(obj.bindings);', 'a.ts')).toHaveLength(1);
    expect(violations(`${knexFile}const pool = knex.client.pool;`, 'a.ts')).toHaveLength(1);
    expect(violations(`${knexFile}const done = trx._completed;`, 'a.ts').length).toBeGreaterThan(0);
    expect(violations(`${knexFile}const s = (builder as any)['_statements'];`, 'a.ts').length).toBeGreaterThan(0);
    expect(violations(`${knexFile}await knex.transaction(async (trx) => trx('units').where({ id }).first());`, 'a.ts')).toEqual([]);
    expect(violations('const font = doc._font;', 'a.ts')).toEqual([]);
  });
});
