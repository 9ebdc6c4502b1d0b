import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_LAYOUT_SHOPHOUSES,
  ADDRESS_LAYOUT_UNITS,
  addressLayoutRows,
  buildAddressLayoutWorkbook,
} from '../../tests/fixtures/address-layout-workbook.ts';
import { IMPORT_LIMITS, ImportFileError } from './import-file-error.ts';
import { planImport } from './import-plan.ts';
import { readSheets } from './read-sheet.ts';

const SAMPLE = new URL('../../tests/fixtures/data-warga-griya-asri.xlsx', import.meta.url);

async function planCsv(text: string, override?: Parameters<typeof planImport>[1]) {
  return planImport(await readSheets(Buffer.from(text), 'warga.csv'), override);
}

describe('planImport: the Griya Asri sample', () => {
  it('reads all 150 units, the RUKO section and the vacant houses without errors', async () => {
    const buffer = readFileSync(SAMPLE);
    const plan = planImport(await readSheets(buffer, 'data-warga-griya-asri.xlsx'));

    // Expected counts come from the raw cells, read independently of the importer.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    const statuses: string[] = [];
    workbook.worksheets[0].eachRow((row, number) => {
      if (number > 4 && typeof row.getCell(2).value === 'string') statuses.push(String(row.getCell(6).value));
    });

    expect(plan.header_row).toBe(4);
    expect(plan.rows).toHaveLength(150);
    expect(plan.rows.filter((row) => row.errors.length > 0)).toEqual([]);
    expect(plan.rows.filter((row) => row.unit?.type === 'ruko').map((row) => row.unit_code)).toEqual(
      Array.from({ length: 10 }, (_, i) => `R-${i + 1}`),
    );
    expect(plan.rows.filter((row) => row.unit?.occupancy === 'vacant')).toHaveLength(statuses.filter((s) => s === 'Kosong').length);
    expect(new Set(plan.rows.map((row) => row.unit_code)).size).toBe(150);
    expect(plan.rows[0]).toMatchObject({ row_number: 5, unit_code: 'A-1', unit: { block: 'A', type: 'rumah', land_area_m2: 72 } });
    const rented = plan.rows.find((row) => row.unit_code === 'A-2');
    expect(rented?.residents).toEqual([
      { name: 'Dedi Hasibuan', phone: null, email: null, relation: 'owner' },
      { name: 'Budi Gunawan', phone: '+6281136986017', email: null, relation: 'tenant' },
    ]);
    const vacant = plan.rows.find((row) => row.unit_code === 'A-11');
    expect(vacant?.unit?.occupancy).toBe('vacant');
    expect(vacant?.residents).toEqual([{ name: 'Wati Saputra', phone: null, email: null, relation: 'owner' }]);
    expect(plan.rows.find((row) => row.unit_code === 'A-12')?.unit?.notes).toBe('pindah bulan lalu');
  });
});

describe('planImport: the single address column layout', () => {
  it('reads `Blok A No. 12` addresses and the Ruko section', async () => {
    const plan = planImport(await readSheets(await buildAddressLayoutWorkbook(), 'warga.xlsx'));
    const expected = addressLayoutRows();
    expect(plan.rows.filter((row) => row.errors.length > 0)).toEqual([]);
    expect(plan.rows.map((row) => row.unit_code)).toEqual(expected.map((row) => row.code));
    expect(plan.rows).toHaveLength(ADDRESS_LAYOUT_UNITS);
    expect(plan.rows.filter((row) => row.unit?.type === 'ruko')).toHaveLength(ADDRESS_LAYOUT_SHOPHOUSES);
    const withEmail = expected.findIndex((row) => row.email !== '');
    expect(plan.rows[withEmail].residents.some((resident) => resident.email === expected[withEmail].email)).toBe(true);
  });
});

describe('planImport: workbooks with several sheets', () => {
  it('takes the sheet whose header names the units, wherever it is', async () => {
    const workbook = new ExcelJS.Workbook();
    const dues = workbook.addWorksheet('Iuran');
    dues.addRow(['Bulan', 'Jumlah']);
    dues.addRow(['Januari', 150000]);
    const residents = workbook.addWorksheet('Warga');
    residents.addRow(['Alamat', 'Nama', 'HP']);
    residents.addRow(['Blok D No. 4', 'Wulan', '0812 3456 7890']);
    const plan = planImport(await readSheets(Buffer.from(await workbook.xlsx.writeBuffer()), 'buku-rt.xlsx'));
    expect(plan.sheet).toBe('Warga');
    expect(plan.rows.map((row) => [row.row_number, row.unit_code, row.residents[0]?.phone])).toEqual([[2, 'D-4', '+6281234567890']]);
  });
});

describe('planImport: CSV layouts and row errors', () => {
  it('normalizes A/12-style addresses and phones, and reports bad rows with their row numbers', async () => {
    const plan = await planCsv(
      [
        'Data warga;;;;',
        'Alamat;Nama Penghuni;Status;Telp;Luas Bangunan',
        'A/12;Budi;Pemilik;0812-3456-7890;36',
        'a.3;Siti;Sewa;+62 813 1111 2222;45,5',
        'B12;Joko;Entah;12;',
        ';Rina;Pemilik;;',
        'A-012;Dobel;Pemilik;;',
        'C 7;-;Kosong;-;abc',
      ].join('\n'),
    );
    expect(plan.header_row).toBe(2);
    expect(plan.rows.map((row) => [row.row_number, row.unit_code])).toEqual([
      [3, 'A-12'],
      [4, 'A-3'],
      [5, 'B-12'],
      [6, null],
      [7, 'A-12'],
      [8, 'C-7'],
    ]);
    expect(plan.rows[0].residents).toEqual([{ name: 'Budi', phone: '+6281234567890', email: null, relation: 'owner' }]);
    expect(plan.rows[1].unit).toMatchObject({ occupancy: 'occupied', building_area_m2: 45.5 });
    expect(plan.rows[1].residents).toEqual([{ name: 'Siti', phone: '+6281311112222', email: null, relation: 'tenant' }]);
    expect(plan.rows[2].errors.map((error) => error.field).sort()).toEqual(['phone', 'status']);
    expect(plan.rows[3].errors).toEqual([{ field: 'address', message: expect.stringContaining('tidak ditemukan') }]);
    expect(plan.rows[4].errors).toEqual([{ field: 'address', message: expect.stringContaining('baris 3') }]);
    expect(plan.rows[5].unit?.occupancy).toBe('vacant');
    expect(plan.rows[5].residents).toEqual([]);
    expect(plan.rows[5].errors.map((error) => error.field)).toEqual(['building_area_m2']);
    expect(plan.rows.slice(0, 2).every((row) => row.errors.length === 0)).toBe(true);
  });

  it('carries a block written once down to the houses below it, and reads Tipe 36/72', async () => {
    const plan = await planCsv(['Blok,No,Nama,Tipe', 'A,1,Ani,36/72', ',2,Bayu,Ruko', 'B,1,Cici,', ',2,Dodi,Rumah'].join('\n'));
    expect(plan.rows.map((row) => row.unit_code)).toEqual(['A-1', 'A-2', 'B-1', 'B-2']);
    expect(plan.rows[0].unit).toMatchObject({ building_area_m2: 36, land_area_m2: 72, type: 'rumah' });
    expect(plan.rows[1].unit?.type).toBe('ruko');
  });

  it('uses `Blok C` section rows, skips a repeated header and a footer line', async () => {
    const plan = await planCsv(
      [
        'Nomor Rumah;Pemilik;Penghuni',
        'Blok C;;',
        '1;Eka;Eka',
        '2;Fajar;Gita',
        'Nomor Rumah;Pemilik;Penghuni',
        '3;Hadi;',
        'Jumlah rumah: 3;;',
      ].join('\n'),
    );
    expect(plan.rows.map((row) => row.unit_code)).toEqual(['C-1', 'C-2', 'C-3']);
    // Without a status column, two different names mean the house is rented out.
    expect(plan.rows[1].residents.map((resident) => resident.relation)).toEqual(['owner', 'tenant']);
  });

  it('gives an occupant with another name in an owner-occupied house the family relation', async () => {
    const plan = await planCsv('Alamat;Nama Pemilik;Nama Penghuni;Status;HP Pemilik\nA-1;Ayah;Anak;Pemilik;081234567890\n');
    expect(plan.rows[0].residents).toEqual([
      { name: 'Ayah', phone: '+6281234567890', email: null, relation: 'owner' },
      { name: 'Anak', phone: null, email: null, relation: 'family' },
    ]);
  });

  it('reports an unrecognised header as unmapped until the override maps it', async () => {
    const text = 'Alamat;Penanggung Jawab\nA-1;Budi\n';
    const plain = await planCsv(text);
    expect(plain.unmapped_columns).toEqual([{ index: 1, header: 'Penanggung Jawab' }]);
    expect(plain.rows[0].residents).toEqual([]);
    const mapped = await planCsv(text, { '1': 'owner_name' });
    expect(mapped.unmapped_columns).toEqual([]);
    expect(mapped.rows[0].residents).toEqual([{ name: 'Budi', phone: null, email: null, relation: 'owner' }]);
  });

  it('reports every row when no column says where the unit is', async () => {
    const plan = await planCsv('Rumah ke;Penanggung Jawab\nsatu;Budi\ndua;Sari\n');
    expect(plan.rows.map((row) => row.errors.length)).toEqual([1, 1]);
  });

  it('refuses a sheet over the row limit and a file with no rows', async () => {
    const rows = Array.from({ length: IMPORT_LIMITS.maxDataRows + 1 }, (_, i) => `A-${i + 1}`);
    await expect(planCsv(['Alamat;Nama', ...rows].join('\n'))).rejects.toMatchObject({ code: 'TOO_MANY_ROWS' });
    await expect(planCsv('1;2\n3;4\n')).rejects.toBeInstanceOf(ImportFileError);
  });
});
