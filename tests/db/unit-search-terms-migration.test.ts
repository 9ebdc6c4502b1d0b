// The migration that adds the unit search's terms fills them for the units, residents and links already there, with
// the rule the server writes them by from then on (server/units/search-terms.ts). On SQLite and PostgreSQL (pgUrl).
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { createResident, updateResident } from '../../server/residents/service.ts';
import { createUnit, deleteUnit } from '../../server/units/service.ts';
import { down, up } from '../../migrations/20261203000100_unit_search_terms.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';
import { createEstate, storeFor } from './fixtures.ts';

async function terms(knex: Knex) {
  const rows: { unit_id: string; term: string; kind: string; listed: boolean | number; sort_key: string }[] = await knex(
    'unit_search_terms',
  ).select('unit_id', 'term', 'kind', 'listed', 'sort_key');
  return rows.map((r) => `${r.unit_id} ${r.term} ${r.kind} ${Boolean(r.listed)} ${r.sort_key}`).sort();
}

describe.each(BACKENDS)('unit search terms migration on $name', (backend) => {
  let opened: OpenedBackend;
  beforeEach(async () => {
    opened = await backend.open();
    await migrateToLatest(opened.db);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('backfills the same terms the server writes, for every estate, without removed units or moved-out residents', async () => {
    const knex = opened.db.knex;
    for (const name of ['Perumahan A', 'Perumahan B']) {
      const store = await storeFor(knex, await createEstate(knex, name));
      const a12 = await createUnit(store, { code: 'A-12', type: 'rumah', occupancy: 'occupied' } as Parameters<typeof createUnit>[1]);
      const ruko = await createUnit(store, { code: 'RUKO-3', type: 'ruko', occupancy: 'occupied' } as Parameters<typeof createUnit>[1]);
      const gone = await createUnit(store, { code: 'B-1', type: 'rumah', occupancy: 'occupied' } as Parameters<typeof createUnit>[1]);
      const resident = (r: { name: string; phone: string | null; unit_id: string; directory_opt_in: boolean }) =>
        createResident(store, { email: null, relation: 'owner', moved_in_on: null, ...r } as Parameters<typeof createResident>[1]);
      await resident({ name: 'Budi Santoso Wijaya', phone: '+628112345678', unit_id: a12.id, directory_opt_in: true });
      await resident({ name: 'Ñoman Āyu', phone: null, unit_id: a12.id, directory_opt_in: false });
      await resident({ name: 'Siti', phone: null, unit_id: ruko.id, directory_opt_in: false });
      const movedOut = await resident({ name: 'Wati Lestari', phone: '+628139999000', unit_id: ruko.id, directory_opt_in: true });
      await updateResident(store, movedOut.id, { unit_id: null });
      await deleteUnit(store, gone.id);
    }
    const written = await terms(knex);
    expect(written.length).toBe(2 * 11);
    expect(written.filter((t) => t.includes(' wijaya name true '))).toHaveLength(2);
    expect(written.filter((t) => t.includes('lestari') || t.includes('628139999000'))).toEqual([]);

    await down(knex);
    await up(knex);
    expect(await terms(knex)).toEqual(written);
  });
});
