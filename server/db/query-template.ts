import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { dialectOf } from './knex.ts';
import { rawRows } from './sqlite-direct.ts';

export type Slot = { param: string } | { value: unknown };

const SENTINEL = '\u0000klustera-param:';

/**
 * `sql` with the integer constants the builder bound (`.first()`'s and `.limit(n)`'s `limit ?`) written into the text
 * instead. SQLite's planner reads a bound LIMIT's value and marks the statement to be compiled again whenever that
 * value is bound anew, so a cached statement with `limit ?` was re-parsed and re-planned on every run: on the gate
 * scan that was a third of each lookup's cost. Placeholders inside quoted strings and identifiers are not counted.
 */
export function withIntegerConstantsInlined(sql: string, slots: Slot[]): { sql: string; slots: Slot[] } {
  let out = '';
  let placeholder = 0;
  let quote: string | null = null;
  const kept: Slot[] = [];
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      const slot = slots[placeholder++];
      if (slot && 'value' in slot && Number.isSafeInteger(slot.value)) out += String(slot.value);
      else {
        out += ch;
        if (slot) kept.push(slot);
      }
    } else out += ch;
  }
  // Counted differently from knex (an unusual raw fragment): leave the statement as knex compiled it.
  if (placeholder !== slots.length) return { sql, slots };
  return { sql: out, slots: kept };
}

/** The SQL text between its placeholders (`?` outside quoted strings and identifiers): one more part than placeholders. */
function splitAtPlaceholders(sql: string): string[] {
  const parts: string[] = [];
  let part = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '?') {
      parts.push(part);
      part = '';
      continue;
    }
    part += ch;
  }
  parts.push(part);
  return parts;
}

const PAGING_KEYWORD = /\b(limit|offset)\s*$/i;
/** Distinct limit/offset pairs kept compiled per template: a portal page's few page sizes and first pages. */
const PAGING_VARIANTS = 32;

interface SqliteTemplate {
  sql: string;
  slots: Slot[];
  /** The parts around each placeholder, and which slots are a parameter bound as a LIMIT or OFFSET. */
  parts: string[];
  paging: boolean[];
  variants: Map<string, { sql: string; slots: Slot[] }>;
}

/**
 * A parameter used as a LIMIT or OFFSET (a page's size and start) is written into the text for SQLite, for the same
 * reason as `withIntegerConstantsInlined`: a bound LIMIT makes SQLite compile the statement again on every run, and
 * on the portal's invoice page that compilation cost twice what the query did. Each distinct pair is its own
 * statement, kept for the next request; a value that is not a safe integer is bound as it came.
 */
function sqliteTemplate(compiled: { sql: string; slots: Slot[] }): SqliteTemplate {
  const parts = splitAtPlaceholders(compiled.sql);
  const paging = compiled.slots.map((s, i) => 'param' in s && PAGING_KEYWORD.test(parts[i] ?? ''));
  return { ...compiled, parts, paging, variants: new Map() };
}

function withPagingInlined(t: SqliteTemplate, values: Record<string, unknown>): { sql: string; slots: Slot[] } {
  if (!t.paging.includes(true) || t.parts.length !== t.slots.length + 1) return t;
  const inlined = t.slots.map((s, i) => (t.paging[i] && 'param' in s ? values[s.param] : undefined));
  if (inlined.some((v, i) => t.paging[i] && !Number.isSafeInteger(v))) return t;
  const key = inlined.filter((_, i) => t.paging[i]).join(',');
  let variant = t.variants.get(key);
  if (!variant) {
    let sql = t.parts[0];
    const slots: Slot[] = [];
    t.slots.forEach((s, i) => {
      if (t.paging[i]) sql += String(inlined[i]);
      else {
        sql += '?';
        slots.push(s);
      }
      sql += t.parts[i + 1];
    });
    variant = { sql, slots };
    if (t.variants.size >= PAGING_VARIANTS) t.variants.delete(t.variants.keys().next().value as string);
    t.variants.set(key, variant);
  }
  return variant;
}

/**
 * On PostgreSQL each template runs as a named prepared statement: parsed once per pooled connection, and planned
 * once its generic plan is as good as a fresh one (PostgreSQL's plan cache), instead of parsed and planned on every
 * run; planning cost more than executing the portal's and a payment's small indexed reads. The name is the text's
 * hash, so the same text always has the same name and two texts never share one. A statement prepared before another
 * process's migration changed a `select *`'s table fails until this process restarts, as it would with its old code.
 */
export function preparedStatementName(sql: string): string {
  return `kq_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
}

/**
 * A query written once with the knex builder and compiled once per dialect, then run as plain SQL with new values.
 * knex spends more time building a small query than SQLite spends running it, and the paths that run on every
 * payment and every gate scan issue a dozen each; the builder stays the one place the query's shape is written.
 *
 * `build` receives stand-ins for the named parameters and must use each only where a bound value goes (where
 * clauses, limits); values it writes itself (constants, `limit 1`) are bound as written.
 */
export function queryTemplate<P extends string>(
  build: (knex: Knex, params: Record<P, string>) => Knex.QueryBuilder | Knex.Raw,
): <T = Record<string, unknown>>(knex: Knex | Knex.Transaction, values: Record<P, unknown>) => Promise<T[]> {
  const compiled = new Map<string, { sql: string; slots: Slot[]; name?: string; sqlite?: SqliteTemplate }>();
  const stand = new Proxy({} as Record<P, string>, { get: (_t, name) => `${SENTINEL}${String(name)}` });
  return async <T>(knex: Knex | Knex.Transaction, values: Record<P, unknown>) => {
    const dialect = dialectOf(knex as Knex);
    let c = compiled.get(dialect);
    if (!c) {
      const { sql, bindings } = build(knex as Knex, stand).toSQL() as { sql: string; bindings: readonly unknown[] };
      const slots = bindings.map(
        (b): Slot => (typeof b === 'string' && b.startsWith(SENTINEL) ? { param: b.slice(SENTINEL.length) } : { value: b }),
      );
      if (sql.includes(SENTINEL)) throw new Error('a query template parameter was written into the SQL text instead of bound');
      if (dialect === 'sqlite') {
        const inlined = withIntegerConstantsInlined(sql, slots);
        c = { ...inlined, sqlite: sqliteTemplate(inlined) };
      } else c = { sql, slots, name: preparedStatementName(sql) };
      compiled.set(dialect, c);
    }
    const run = c.sqlite ? withPagingInlined(c.sqlite, values) : c;
    const bindings = run.slots.map((s) => ('param' in s ? values[s.param as P] : s.value)) as Knex.RawBinding[];
    return rawRows<T>(knex, run.sql, bindings, c.name);
  };
}

type Template = ReturnType<typeof queryTemplate<string>>;

/**
 * A query with an `in (…)` list, compiled once per list length up to `maxLength` (a unit's few residents), since a
 * compiled statement has a fixed number of placeholders. `build` gets the list's parameter names to pass to
 * `whereIn`; `forLength` answers undefined for a longer list, which the caller then builds with knex.
 */
export function queryTemplatePerLength<P extends string>(
  maxLength: number,
  build: (knex: Knex, params: Record<P, string>, list: string[]) => Knex.QueryBuilder | Knex.Raw,
): { forLength(length: number): Template | undefined; values(list: readonly unknown[]): Record<string, unknown> } {
  const byLength = new Map<number, Template>();
  const names = (length: number) => Array.from({ length }, (_, i) => `item${i}`);
  return {
    forLength(length) {
      if (length < 1 || length > maxLength) return undefined;
      let template = byLength.get(length);
      if (!template) {
        const list = names(length);
        template = queryTemplate<string>((knex, p) =>
          build(
            knex,
            p as Record<P, string>,
            list.map((name) => p[name]),
          ),
        );
        byLength.set(length, template);
      }
      return template;
    },
    values: (list) => Object.fromEntries(list.map((value, i) => [`item${i}`, value])),
  };
}
