import type { Knex } from 'knex';

/**
 * Search keys for the unit search (server/units/search-key.ts): a unit's code and house number, and a resident's name
 * from its first and second word, as lowercase letters and digits. Prefix search becomes an index range led by
 * estate_id instead of a scan of every unit and resident.
 *
 * The backfill sits here with the columns because the columns are useless empty and the server fills them on every
 * write from now on. The key rule is copied, not imported: a migration must not change when the server's code does.
 */
function key(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^0-9a-z]+/g, '')
    .replace(/(^|[a-z])0+(?=\d)/g, '$1');
}

function nameKeys(name: string): { name_key: string; name_key2: string | null } {
  const words = name.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().split(/[^0-9a-z]+/).filter(Boolean);
  return { name_key: words.join('').slice(0, 200), name_key2: words.length > 1 ? words.slice(1).join('').slice(0, 200) : null };
}

const BATCH = 500;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('units', (t) => {
    t.string('search_key', 64).nullable();
    t.string('number_key', 64).nullable();
  });
  await knex.schema.alterTable('residents', (t) => {
    t.string('name_key', 200).nullable();
    t.string('name_key2', 200).nullable();
  });

  for (let after = ''; ;) {
    const rows: { id: string; code: string }[] = await knex('units').where('id', '>', after).orderBy('id').limit(BATCH).select('id', 'code');
    if (!rows.length) break;
    for (const r of rows) {
      const number = /-(\d+[A-Za-z]?)$/.exec(r.code);
      await knex('units').where('id', r.id).update({ search_key: key(r.code), number_key: key(number ? number[1] : r.code) });
    }
    after = rows[rows.length - 1].id;
  }
  for (let after = ''; ;) {
    const rows: { id: string; name: string }[] = await knex('residents').where('id', '>', after).orderBy('id').limit(BATCH).select('id', 'name');
    if (!rows.length) break;
    for (const r of rows) await knex('residents').where('id', r.id).update(nameKeys(r.name));
    after = rows[rows.length - 1].id;
  }

  await knex.schema.alterTable('units', (t) => {
    t.index(['estate_id', 'search_key'], 'units_estate_search_key');
    t.index(['estate_id', 'number_key'], 'units_estate_number_key');
  });
  await knex.schema.alterTable('residents', (t) => {
    t.index(['estate_id', 'name_key'], 'residents_estate_name_key');
    t.index(['estate_id', 'name_key2'], 'residents_estate_name_key2');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('residents', (t) => {
    t.dropIndex(['estate_id', 'name_key2'], 'residents_estate_name_key2');
    t.dropIndex(['estate_id', 'name_key'], 'residents_estate_name_key');
    t.dropColumn('name_key2');
    t.dropColumn('name_key');
  });
  await knex.schema.alterTable('units', (t) => {
    t.dropIndex(['estate_id', 'number_key'], 'units_estate_number_key');
    t.dropIndex(['estate_id', 'search_key'], 'units_estate_search_key');
    t.dropColumn('number_key');
    t.dropColumn('search_key');
  });
}
