import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADDRESS_LAYOUT_SHOPHOUSES,
  ADDRESS_LAYOUT_UNITS,
  addressLayoutRows,
  buildAddressLayoutWorkbook,
} from '../fixtures/address-layout-workbook.ts';
import { importResponse } from '../../server/imports/schemas.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

const SAMPLE_PATH = new URL('../fixtures/data-warga-griya-asri.xlsx', import.meta.url);
const SAMPLE = readFileSync(SAMPLE_PATH);
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let server: TestServer;
let admin: ApiClient;
let estateId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server.close();
});

/** A fresh estate per scenario, so counts are not disturbed by other tests. */
async function newEstate(name: string): Promise<string> {
  const res = await admin.post('/estates', { name });
  expect(res.status).toBe(201);
  return (res.body.estate?.id ?? res.body.id) as string;
}

function importFile(
  client: ApiClient,
  estate: string,
  file: { filename: string; content: Buffer; type?: string },
  opts: { dryRun?: boolean; mapping?: object } = {},
) {
  const fields: Record<string, string> = {};
  if (opts.mapping) fields.mapping = JSON.stringify(opts.mapping);
  const query = opts.dryRun ? '?dry_run=1' : '';
  return client.upload(`/estates/${estate}/imports/units${query}`, fields, { file });
}

async function counts(estate: string) {
  const k = server.db.knex;
  const one = async (table: string) => Number((await k(table).where({ estate_id: estate }).count({ n: '*' }))[0].n);
  return {
    units: await one('units'),
    residents: await one('residents'),
    occupancies: await one('unit_occupancies'),
    audit: await one('audit_log'),
    outbox: await one('outbox'),
  };
}

/** Residents the sample should produce, from its raw cells: each owner, plus an occupant with another name. */
async function sampleExpectations() {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(SAMPLE as unknown as ExcelJS.Buffer);
  let units = 0;
  let residents = 0;
  let vacant = 0;
  workbook.worksheets[0].eachRow((row, number) => {
    if (number <= 4 || typeof row.getCell(2).value !== 'string') return;
    units++;
    const owner = String(row.getCell(4).value ?? '').trim();
    const occupant = String(row.getCell(5).value ?? '').trim();
    const status = String(row.getCell(6).value ?? '');
    if (status === 'Kosong') vacant++;
    residents += (owner ? 1 : 0) + (occupant && occupant !== owner && status !== 'Kosong' ? 1 : 0);
  });
  return { units, residents, vacant };
}

describe('POST /estates/:estate_id/imports/units', () => {
  it('previews the sample with ?dry_run=1 and writes nothing', async () => {
    const estate = await newEstate('Dry Run Asri');
    const before = await counts(estate);
    const res = await importFile(
      admin,
      estate,
      { filename: 'data-warga-griya-asri.xlsx', content: SAMPLE, type: XLSX_TYPE },
      { dryRun: true },
    );
    expect(res.status).toBe(200);
    const expected = await sampleExpectations();
    expect(res.body).toMatchObject({ dry_run: true, sheet: 'Data Warga', header_row: 4 });
    expect(res.body.columns.map((column: { field: string | null }) => column.field)).toEqual([
      'sequence',
      'block',
      'number',
      'owner_name',
      'occupant_name',
      'status',
      'phone',
      'land_area_m2',
      'notes',
    ]);
    expect(res.body.summary).toEqual({
      units_create: expected.units,
      units_update: 0,
      units_unchanged: 0,
      residents_create: expected.residents,
      residents_update: 0,
      residents_unchanged: 0,
      error_rows: 0,
    });
    expect(res.body.rows[0]).toMatchObject({ row_number: 5, action: 'create', unit_code: 'A-1', errors: [] });
    expect(importResponse.safeParse(res.body).success).toBe(true);
    expect(await counts(estate)).toEqual(before);

    const openapi = await admin.get('/openapi.json');
    const documented = openapi.body.paths['/api/v1/estates/{estate_id}/imports/units'].post;
    expect(documented.requestBody.content['multipart/form-data'].schema.properties.file).toMatchObject({ format: 'binary' });
    expect(documented.responses['200'].content['application/json'].schema.properties).toHaveProperty('summary');
  });

  it('reports row errors with the sheet row numbers in a dry run', async () => {
    const estate = await newEstate('Row Errors');
    const csv = [
      'Alamat;Nama;Status;No HP',
      'A-1;Budi;Pemilik;0812-3456-7890',
      'A-2;Sari;Entah;0812',
      ';Tanpa Alamat;Pemilik;',
      'A-1;Dobel;Pemilik;',
    ].join('\n');
    const res = await importFile(admin, estate, { filename: 'warga.csv', content: Buffer.from(csv) }, { dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ units_create: 1, error_rows: 3 });
    const byRow = Object.fromEntries(res.body.rows.map((row: { row_number: number }) => [row.row_number, row]));
    expect(byRow[2]).toMatchObject({ action: 'create', unit_code: 'A-1' });
    expect(byRow[3].action).toBe('error');
    expect(byRow[3].errors.map((error: { field: string }) => error.field).sort()).toEqual(['phone', 'status']);
    expect(byRow[4]).toMatchObject({ action: 'error', unit_code: null, errors: [{ field: 'address' }] });
    expect(byRow[5]).toMatchObject({
      action: 'error',
      unit_code: 'A-1',
      errors: [{ field: 'address', message: expect.stringContaining('baris 2') }],
    });
    expect((await counts(estate)).units).toBe(0);
  });

  it('words every row error as a plain sentence, in English for an English reader', async () => {
    const estate = await newEstate('Row Sentences');
    const csv = [
      'Alamat;Nama;Status;No HP;Email;Luas tanah;Tipe',
      'A-1;Budi;Pemilik;0812-3456-7890;;;Rumah',
      'A-2;Sari;Entah;0812;not-an-email;luas;Gudang',
      ';Tanpa Alamat;Pemilik;;;;',
      'A-1;Dobel;Pemilik;;;;',
    ].join('\n');
    const preview = (headers?: Record<string, string>) =>
      admin.upload(
        `/estates/${estate}/imports/units?dry_run=1`,
        {},
        { file: { filename: 'warga.csv', content: Buffer.from(csv) } },
        headers,
      );
    const messages = (res: { body: { rows: Array<{ errors: Array<{ message: string }> }> } }) =>
      res.body.rows.flatMap((row) => row.errors.map((error) => error.message));
    const zodWording = /invalid|expected|received|too (big|small)|option/i;

    const id = await preview();
    expect(id.status, id.text).toBe(200);
    const idMessages = messages(id);
    expect(idMessages.length).toBeGreaterThanOrEqual(7);
    for (const m of idMessages) {
      expect(m).toMatch(/^["A-Z0-9].*\.$/);
      expect(m).not.toMatch(zodWording);
    }
    expect(idMessages).toContain('Unit A-1 sudah ada di baris 2.');
    expect(idMessages).toContain('Status "Entah" tidak dikenal; gunakan Pemilik, Kontrak/Sewa atau Kosong.');

    const en = await preview({ 'Accept-Language': 'en' });
    expect(en.status, en.text).toBe(200);
    const enMessages = messages(en);
    expect(enMessages).toHaveLength(idMessages.length);
    for (const m of enMessages) {
      expect(m).toMatch(/^["A-Z0-9].*\.$/);
      expect(m).not.toMatch(/\b(tidak|bukan|sudah|gunakan|baris|terlalu|Maksimal)\b/);
    }
    expect(enMessages).toContain('Unit A-1 already appears in row 2.');
    expect(enMessages).toContain('"not-an-email" is not a valid email address.');
    expect(enMessages).toContain('No block and house number found in this row.');
    expect((await counts(estate)).units).toBe(0);
  });

  it('imports the sample: 150 units with their residents, through the audited services; a second import changes nothing', async () => {
    const estate = await newEstate('Griya Asri Import');
    const expected = await sampleExpectations();
    const before = await counts(estate);
    const first = await importFile(admin, estate, { filename: 'data-warga-griya-asri.xlsx', content: SAMPLE, type: XLSX_TYPE });
    expect(first.status).toBe(200);
    expect(first.body.dry_run).toBe(false);
    expect(first.body.summary).toMatchObject({ units_create: 150, residents_create: expected.residents, error_rows: 0 });

    const after = await counts(estate);
    expect(after.units - before.units).toBe(150);
    expect(after.residents - before.residents).toBe(expected.residents);
    expect(after.occupancies - before.occupancies).toBe(expected.residents);
    // One audit row and one outbox row per unit, resident and unit link written.
    const written = 150 + 2 * expected.residents;
    expect(after.audit - before.audit).toBe(written);
    expect(after.outbox - before.outbox).toBe(written);

    const ruko = await admin.get(`/estates/${estate}/units?type=ruko&limit=50`);
    expect(ruko.body.total).toBe(10);
    const vacant = await admin.get(`/estates/${estate}/units?occupancy=vacant&limit=50`);
    expect(vacant.body.total).toBe(expected.vacant);
    const a2 = await admin.get(`/estates/${estate}/units?q=A-2&limit=1`);
    expect(a2.body.items[0]).toMatchObject({ code: 'A-2', block: 'A', type: 'rumah', land_area_m2: 120, occupancy: 'occupied' });
    const tenants = await admin.get(`/estates/${estate}/residents?unit_id=${a2.body.items[0].id}`);
    expect(
      tenants.body.items.map((r: { name: string; relation: string; phone: string | null }) => [r.name, r.relation, r.phone]).sort(),
    ).toEqual([
      ['Budi Gunawan', 'tenant', '+6281136986017'],
      ['Dedi Hasibuan', 'owner', null],
    ]);
    // The unit search knows the imported residents: by their name and by their phone.
    for (const q of ['budi gun', '0811-3698-6017']) {
      const found = await admin.get(`/estates/${estate}/units/search?q=${encodeURIComponent(q)}`);
      expect(
        found.body.items.map((u: { code: string }) => u.code),
        q,
      ).toContain('A-2');
    }

    const second = await importFile(admin, estate, { filename: 'data-warga-griya-asri.xlsx', content: SAMPLE, type: XLSX_TYPE });
    expect(second.status).toBe(200);
    expect(second.body.summary).toEqual({
      units_create: 0,
      units_update: 0,
      units_unchanged: 150,
      residents_create: 0,
      residents_update: 0,
      residents_unchanged: expected.residents,
      error_rows: 0,
    });
    expect(second.body.rows.every((row: { action: string }) => row.action === 'unchanged')).toBe(true);
    expect(await counts(estate)).toEqual(after);
  });

  it('updates what changed in the sheet and leaves the rest alone', async () => {
    const estate = await newEstate('Changes');
    const original = 'Alamat;Nama Pemilik;Nama Penghuni;Status;No HP\nA/1;Budi;Budi;Pemilik;0812-1111-2222\nA/2;Sari;;Kosong;\n';
    expect((await importFile(admin, estate, { filename: 'warga.csv', content: Buffer.from(original) })).status).toBe(200);
    const changed =
      'Alamat;Nama Pemilik;Nama Penghuni;Status;No HP\nA/1;Budi;Budi;Pemilik;0812-1111-3333\nA/2;Sari;Tono;Kontrak;0813-4444-5555\n';
    const res = await importFile(admin, estate, { filename: 'warga.csv', content: Buffer.from(changed) });
    expect(res.body.summary).toMatchObject({
      units_update: 1,
      units_unchanged: 1,
      residents_create: 1,
      residents_update: 1,
      residents_unchanged: 1,
    });
    expect(res.body.rows.map((row: { action: string }) => row.action)).toEqual(['update', 'update']);
    const budi = await admin.get(`/estates/${estate}/residents?q=Budi`);
    expect(budi.body.items).toHaveLength(1);
    expect(budi.body.items[0].phone).toBe('+6281211113333');
  });

  it('imports a CSV with A/12-style addresses', async () => {
    const estate = await newEstate('Slash Addresses');
    const csv = ['Kavling,Nama,No. HP,Luas Tanah', 'A/12,Agus,+62 812 3456 7890,"72,5"', 'b/3,Wati,081298765432,90', 'C.7,Joko,-,'].join(
      '\r\n',
    );
    const res = await importFile(admin, estate, { filename: 'kavling.csv', content: Buffer.from(csv), type: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.body.rows.map((row: { unit_code: string }) => row.unit_code)).toEqual(['A-12', 'B-3', 'C-7']);
    const units = await admin.get(`/estates/${estate}/units`);
    expect(units.body.items.map((unit: { code: string }) => unit.code)).toEqual(['A-12', 'B-3', 'C-7']);
    expect(units.body.items[0]).toMatchObject({ block: 'A', land_area_m2: 72.5, residents: [{ name: 'Agus', relation: 'owner' }] });
    const agus = await admin.get(`/estates/${estate}/residents?q=Agus`);
    expect(agus.body.items[0]).toMatchObject({ phone: '+6281234567890', unit_code: 'A-12' });
  });

  it('imports the generated `Blok A No. 12` workbook', async () => {
    const estate = await newEstate('Taman Melati');
    const content = await buildAddressLayoutWorkbook();
    const res = await importFile(admin, estate, { filename: 'data-warga-alamat.xlsx', content, type: XLSX_TYPE });
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ units_create: ADDRESS_LAYOUT_UNITS, error_rows: 0 });
    expect(res.body.rows.map((row: { unit_code: string }) => row.unit_code)).toEqual(addressLayoutRows().map((row) => row.code));
    expect((await admin.get(`/estates/${estate}/units?type=ruko`)).body.total).toBe(ADDRESS_LAYOUT_SHOPHOUSES);
  });

  it('maps an unrecognised header through the mapping override', async () => {
    const estate = await newEstate('Mapping');
    const csv = 'Alamat;Penanggung Jawab;Nomor WA Aktif\nA-1;Budi;0812-3456-7890\n';
    const plain = await importFile(admin, estate, { filename: 'warga.csv', content: Buffer.from(csv) }, { dryRun: true });
    expect(plain.body.unmapped_columns).toEqual([{ index: 1, header: 'Penanggung Jawab' }]);
    expect(plain.body.summary.residents_create).toBe(0);

    const mapped = await importFile(admin, estate, { filename: 'warga.csv', content: Buffer.from(csv) }, { mapping: { 1: 'owner_name' } });
    expect(mapped.status).toBe(200);
    expect(mapped.body.columns[1]).toEqual({ index: 1, header: 'Penanggung Jawab', field: 'owner_name' });
    expect(mapped.body.summary).toMatchObject({ units_create: 1, residents_create: 1 });
    const budi = await admin.get(`/estates/${estate}/residents?q=Budi`);
    expect(budi.body.items[0]).toMatchObject({ name: 'Budi', relation: 'owner', unit_code: 'A-1', phone: '+6281234567890' });
  });

  it('refuses a bad mapping with 400 and writes nothing', async () => {
    const estate = await newEstate('Bad Mapping');
    const csv = Buffer.from('Alamat;Nama\nA-1;Budi\n');
    for (const mapping of ['{not json', '{"0": "salary"}', '{"7": "owner_name"}', '[1,2]']) {
      const res = await admin.upload(`/estates/${estate}/imports/units`, { mapping }, { file: { filename: 'warga.csv', content: csv } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_MAPPING', field: 'mapping' });
    }
    expect((await counts(estate)).units).toBe(0);
  });

  it('answers 400 for a missing file, a wrong file type and garbage bytes, and 413 past 5 MB', async () => {
    const estate = await newEstate('Bad Files');
    const missing = await admin.upload(`/estates/${estate}/imports/units`, {}, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('file');

    const pdf = await importFile(admin, estate, {
      filename: 'laporan.pdf',
      content: Buffer.from('%PDF-1.7\n%\xff\xff\n1 0 obj'),
      type: 'application/pdf',
    });
    expect(pdf.status).toBe(400);
    expect(pdf.body.error.code).toBe('UNSUPPORTED_FILE');

    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
    for (const filename of ['warga.csv', 'warga.xlsx', 'warga']) {
      const res = await importFile(admin, estate, { filename, content: garbage });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toMatch(/^(UNSUPPORTED_FILE|UNREADABLE_FILE)$/);
    }
    const brokenZip = Buffer.concat([SAMPLE.subarray(0, 2000), garbage]);
    const broken = await importFile(admin, estate, { filename: 'warga.xlsx', content: brokenZip });
    expect(broken.status).toBe(400);

    const huge = await importFile(admin, estate, { filename: 'warga.csv', content: Buffer.alloc(5 * 1024 * 1024 + 10, 0x41) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await counts(estate)).units).toBe(0);
  });

  it('refuses a resident with 403 and a treasurer of another estate with 404', async () => {
    const resident = await userWithRole(server.url, admin, estateId, 'resident');
    const asResident = await importFile(resident.client, estateId, { filename: 'warga.xlsx', content: SAMPLE, type: XLSX_TYPE });
    expect(asResident.status).toBe(403);
    expect(asResident.body.error.code).toBe('FORBIDDEN');

    const treasurer = await userWithRole(server.url, admin, estateId, 'treasurer');
    const other = await newEstate('Perumahan Lain');
    const before = await counts(other);
    const elsewhere = await importFile(treasurer.client, other, { filename: 'warga.xlsx', content: SAMPLE, type: XLSX_TYPE });
    expect(elsewhere.status).toBe(404);
    expect(await counts(other)).toEqual(before);

    const own = await importFile(
      treasurer.client,
      estateId,
      { filename: 'warga.xlsx', content: SAMPLE, type: XLSX_TYPE },
      { dryRun: true },
    );
    expect(own.status).toBe(200);
  });
});
