import type { Knex } from 'knex';

/**
 * What the unit search reads (server/units/search-terms.ts): one row per way of finding a unit (its code, its house
 * number, every word-suffix of a current resident's name, a resident's phone), carrying the unit's natural sort key.
 * A common surname matches hundreds of residents; answering it from the units, occupancies and residents tables
 * meant three lookups per match and two sorts. Here it is one range of one covering index.
 *
 * Derived data: rebuilt from units, occupancies and residents by the server on every write to them, never synced or
 * journaled. The backfill sits here with the table because the table is useless empty. The term rule is copied, not
 * imported: a migration must not change when the server's code does.
 */
function nameWords(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^0-9a-z]+/)
    .filter(Boolean);
}

type Term = { estate_id: string; unit_id: string; term: string; kind: string; listed: boolean; sort_key: string };

const BATCH = 500;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('unit_search_terms', (t) => {
    t.string('estate_id', 36).notNullable();
    t.string('unit_id', 36).notNullable();
    t.string('term', 200).notNullable();
    t.string('kind', 8).notNullable();
    t.boolean('listed').notNullable();
    t.string('sort_key', 120).notNullable();
    t.index(['estate_id', 'term', 'kind', 'listed', 'sort_key', 'unit_id'], 'unit_search_terms_lookup');
    t.index(['estate_id', 'unit_id'], 'unit_search_terms_unit');
  });

  for (let after = ''; ;) {
    const units: { id: string; estate_id: string; sort_key: string; search_key: string | null; number_key: string | null }[] =
      await knex('units')
        .whereNull('deleted_at')
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .select('id', 'estate_id', 'sort_key', 'search_key', 'number_key');
    if (!units.length) break;
    const people: { unit_id: string; name: string; phone: string | null; directory_opt_in: boolean | number }[] = await knex(
      'unit_occupancies as o',
    )
      .join('residents as r', 'r.id', 'o.resident_id')
      .whereIn(
        'o.unit_id',
        units.map((u) => u.id),
      )
      .whereNull('o.deleted_at')
      .whereNull('o.moved_out_on')
      .whereNull('r.deleted_at')
      .select('o.unit_id', 'r.name', 'r.phone', 'r.directory_opt_in');
    const rows: Term[] = [];
    for (const u of units) {
      const seen = new Set<string>();
      const add = (term: string | null, kind: string, listed: boolean) => {
        const k = `${term}|${kind}|${listed}`;
        if (!term || seen.has(k)) return;
        seen.add(k);
        rows.push({ estate_id: u.estate_id, unit_id: u.id, term: term.slice(0, 200), kind, listed, sort_key: u.sort_key });
      };
      add(u.search_key, 'code', true);
      if (u.number_key !== u.search_key) add(u.number_key, 'number', true);
      for (const p of people) {
        if (p.unit_id !== u.id) continue;
        const listed = Boolean(p.directory_opt_in);
        const words = nameWords(p.name);
        for (let i = 0; i < words.length; i++) add(words.slice(i).join(''), 'name', listed);
        if (p.phone) add(p.phone.replace(/\D/g, ''), 'phone', listed);
      }
    }
    for (let i = 0; i < rows.length; i += 100) await knex('unit_search_terms').insert(rows.slice(i, i + 100));
    after = units[units.length - 1].id;
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('unit_search_terms');
}
