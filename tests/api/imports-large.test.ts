import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largeImportCsv, largeImportExpectations, largeImportRows } from '../fixtures/large-import-sheet.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { planImport } from '../../server/imports/import-plan.ts';
import { applyImportInSlices } from '../../server/imports/import-units.ts';
import { readSheets } from '../../server/imports/read-sheet.ts';
import { journalGaps } from '../support/journal-coverage.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

// What an import of a whole estate's sheet writes, checked from the database: every row, its journal rows and its
// search keys. Nothing here is timed; bench/import-units.bench.ts measures the speed.
const UNITS = 10_000;

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin } = await setupEstate(server.url));
});
afterAll(async () => {
  await server.close();
});

async function newEstate(name: string): Promise<string> {
  const res = await admin.post('/estates', { name });
  expect(res.status).toBe(201);
  return (res.body.estate?.id ?? res.body.id) as string;
}

const importCsv = (estate: string, content: Buffer, query = '') =>
  admin.upload(`/estates/${estate}/imports/units${query}`, {}, { file: { filename: 'data-warga.csv', content, type: 'text/csv' } });

async function count(table: string, estate: string, where: Record<string, unknown> = {}) {
  return Number(
    (
      await server.db
        .knex(table)
        .where({ estate_id: estate, ...where })
        .count({ n: '*' })
    )[0].n,
  );
}

describe('importing a sheet of 10,000 units', () => {
  it('writes every unit, resident and link with its journal rows and search keys, and a second import writes nothing', async () => {
    const estate = await newEstate('Perumahan Sepuluh Ribu');
    const expected = largeImportExpectations(UNITS);
    const csv = largeImportCsv(UNITS);

    const res = await importCsv(estate, csv);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({
      units_create: expected.units,
      units_update: 0,
      units_unchanged: 0,
      residents_create: expected.residents,
      residents_update: 0,
      residents_unchanged: 0,
      error_rows: 0,
    });
    expect(res.body.rows).toHaveLength(UNITS);

    expect(await count('units', estate)).toBe(expected.units);
    expect(await count('residents', estate)).toBe(expected.residents);
    expect(await count('unit_occupancies', estate)).toBe(expected.occupancies);
    // One audit row and one outbox row per written row, each naming its row.
    const k = server.db.knex;
    const written = expected.units + expected.residents + expected.occupancies;
    expect(await count('audit_log', estate, { action: 'units.create' })).toBe(expected.units);
    expect(await count('audit_log', estate, { action: 'residents.create' })).toBe(expected.residents);
    expect(await count('audit_log', estate, { action: 'unit_occupancies.create' })).toBe(expected.occupancies);
    const outbox = () =>
      k('outbox')
        .where({ estate_id: estate, op: 'insert' })
        .whereIn('table_name', ['units', 'residents', 'unit_occupancies'])
        .count({ n: '*' });
    expect(Number((await outbox())[0].n)).toBe(written);
    expect(await journalGaps(server.db.knex)).toEqual([]);

    const missingKeys = await k('units')
      .where({ estate_id: estate })
      .where((w) => w.whereNull('search_key').orWhereNull('number_key').orWhere('sort_key', ''))
      .count({ n: '*' });
    expect(Number(missingKeys[0].n)).toBe(0);
    expect(Number((await k('residents').where({ estate_id: estate }).whereNull('name_key').count({ n: '*' }))[0].n)).toBe(0);

    // One unit read back as the units and residents endpoints would have written it.
    const sheet = largeImportRows(UNITS);
    const rented = sheet.find((row) => row.status === 'Kontrak')!;
    const unit = await k('units').where({ estate_id: estate, code: rented.code }).first();
    expect(unit).toMatchObject({ search_key: rented.code.replace('-', '').toLowerCase(), block: rented.code.split('-')[0] });
    const tenant = await k('residents').where({ estate_id: estate, name: rented.tenant }).first();
    expect(tenant).toMatchObject({ phone: rented.phoneE164, name_key: rented.tenant.toLowerCase().replace(/[^a-z0-9]/g, '') });
    expect(await k('unit_occupancies').where({ unit_id: unit.id, resident_id: tenant.id }).first()).toMatchObject({ relation: 'tenant' });

    // Natural order over the whole estate: A-2 before A-10.
    const page = await admin.get(`/estates/${estate}/units?limit=12`);
    expect(page.body.total).toBe(UNITS);
    expect(page.body.items.map((u: { code: string }) => u.code).slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => `A-${i + 1}`));

    const [auditBefore, outboxBefore] = [await count('audit_log', estate), await count('outbox', estate)];
    const again = await importCsv(estate, csv);
    expect(again.status).toBe(200);
    expect(again.body.summary).toMatchObject({ units_create: 0, units_update: 0, units_unchanged: UNITS, residents_create: 0 });
    expect(await count('audit_log', estate)).toBe(auditBefore);
    expect(await count('outbox', estate)).toBe(outboxBefore);
  }, 180_000);

  it('writes a resident created by an earlier row with the corrections of a later row of the same sheet', async () => {
    const estate = await newEstate('Perumahan Dua Rumah');
    const csv = Buffer.from(
      [
        'Blok;No Rumah;Nama Pemilik;Status;No HP;Email',
        'A;1;Budi Santoso;Pemilik;0812-1111-2222;',
        'A;2;Budi Santoso;Pemilik;0812-1111-2222;budi@contoh.id',
      ].join('\n'),
    );
    const res = await importCsv(estate, csv);
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ units_create: 2, residents_create: 1, residents_update: 1, error_rows: 0 });
    const residents = await server.db.knex('residents').where({ estate_id: estate });
    expect(residents).toHaveLength(1);
    expect(residents[0]).toMatchObject({ name: 'Budi Santoso', phone: '+6281211112222', email: 'budi@contoh.id' });
    expect(await count('unit_occupancies', estate, { resident_id: residents[0].id })).toBe(2);
    expect(await journalGaps(server.db.knex)).toEqual([]);
  });

  it('writes in the background as a job whose rows done / total the office reads until it is done', async () => {
    const estate = await newEstate('Perumahan Latar Belakang');
    const units = 2_500;
    const expected = largeImportExpectations(units);
    const res = await importCsv(estate, largeImportCsv(units), '?background=1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dry_run: false, job_id: expect.any(String) });
    expect(res.body.summary).toMatchObject({ units_create: units, residents_create: expected.residents });

    const path = `/estates/${estate}/imports/units/jobs/${res.body.job_id}`;
    let view = (await admin.get(path)).body;
    for (let i = 0; view.status !== 'done' && view.status !== 'failed' && i < 600; i++) {
      expect(view.rows_done).toBeLessThanOrEqual(view.rows_total ?? units);
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = (await admin.get(path)).body;
    }
    expect(view).toEqual({
      id: res.body.job_id,
      status: 'done',
      rows_done: units,
      rows_total: units,
      summary: res.body.summary,
      error: null,
    });
    expect(await count('units', estate)).toBe(units);
    expect(await count('unit_occupancies', estate)).toBe(expected.occupancies);
    // The audit rows name the treasurer who confirmed the import, not the job runner.
    const audit = await server.db.knex('audit_log').where({ estate_id: estate, action: 'units.create' }).first();
    expect(audit.actor_user_id).not.toBeNull();
    expect(await journalGaps(server.db.knex)).toEqual([]);

    // Another estate's id in the path does not reach the job.
    const other = await newEstate('Perumahan Lain');
    expect((await admin.get(`/estates/${other}/imports/units/jobs/${res.body.job_id}`)).status).toBe(404);
  }, 180_000);

  it('reports progress after every slice of rows, and a run that died half-way finishes on the next without doubling', async () => {
    const estate = await newEstate('Perumahan Setengah Jalan');
    const units = 2_500;
    const expected = largeImportExpectations(units);
    const plan = planImport(await readSheets(largeImportCsv(units), 'data-warga.csv'));
    const store = new ScopedStore(server.db.knex, estate, SYSTEM_ACTOR, server.app.sync);

    const died = applyImportInSlices(store, plan, async (done) => {
      if (done === 2000) throw new Error('the process stopped');
    });
    await expect(died).rejects.toThrow('the process stopped');
    expect(await count('units', estate)).toBe(2000);

    const progress: [number, number][] = [];
    const summary = await applyImportInSlices(store, plan, async (done, total) => {
      progress.push([done, total]);
    });
    expect(progress).toEqual([
      [0, units],
      [1000, units],
      [2000, units],
      [2500, units],
    ]);
    expect(summary).toMatchObject({ units_create: 500, units_unchanged: 2000 });
    expect(await count('units', estate)).toBe(units);
    expect(await count('residents', estate)).toBe(expected.residents);
    expect(await count('unit_occupancies', estate)).toBe(expected.occupancies);
    expect(await journalGaps(server.db.knex)).toEqual([]);
  }, 180_000);
});
