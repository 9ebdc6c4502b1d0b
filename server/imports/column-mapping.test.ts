import { describe, expect, it } from 'vitest';
import { findHeaderRow, mapColumns, recognizeHeader } from './column-mapping.ts';
import { ImportFileError } from './import-file-error.ts';

describe('recognizeHeader', () => {
  it.each([
    ['Blok', 'block'],
    ['BLOCK', 'block'],
    ['No Rumah', 'number'],
    ['No. Rumah', 'number'],
    ['Nomor Rumah', 'number'],
    ['Alamat', 'address'],
    ['Kavling', 'address'],
    ['alamat rumah', 'address'],
    ['Nama Pemilik', 'owner_name'],
    ['OWNER', 'owner_name'],
    ['Nama Penghuni', 'occupant_name'],
    ['Penyewa', 'occupant_name'],
    ['Nama', 'occupant_name'],
    ['Status', 'status'],
    ['Status Hunian', 'status'],
    ['No HP', 'phone'],
    ['No. HP / WA', 'phone'],
    ['Telepon', 'phone'],
    ['WA', 'phone'],
    ['HP Pemilik', 'owner_phone'],
    ['No HP Penghuni', 'occupant_phone'],
    ['E-mail', 'email'],
    ['Email', 'email'],
    ['Luas Tanah (m2)', 'land_area_m2'],
    ['LT', 'land_area_m2'],
    ['Luas Bangunan', 'building_area_m2'],
    ['Tipe', 'type'],
    ['Keterangan', 'notes'],
    ['Ket.', 'notes'],
    ['No', 'number'],
  ])('%s → %s', (header, field) => {
    expect(recognizeHeader(header)).toBe(field);
  });

  it.each(['Iuran Bulanan', '', 'Tanggal Masuk'])('leaves %j unrecognised', (header) => {
    expect(recognizeHeader(header)).toBeNull();
  });
});

describe('mapColumns', () => {
  it('reads a bare "No" as the running number when another column names the house', () => {
    const columns = mapColumns(['No', 'Blok', 'No Rumah', 'Nama'], 4);
    expect(columns.map((column) => column.field)).toEqual(['sequence', 'block', 'number', 'occupant_name']);
    expect(mapColumns(['No', 'Alamat'], 2).map((column) => column.field)).toEqual(['sequence', 'address']);
  });

  it('reads a bare "No" next to a block column as the house number', () => {
    expect(mapColumns(['Blok', 'No', 'Nama'], 3).map((column) => column.field)).toEqual(['block', 'number', 'occupant_name']);
  });

  it('maps only the first of two columns for the same field', () => {
    expect(mapColumns(['Alamat', 'No HP', 'HP'], 3).map((column) => column.field)).toEqual(['address', 'phone', null]);
  });

  it('applies the override, moving a field away from the column the headers gave it', () => {
    const columns = mapColumns(['Alamat', 'Penghuni', 'Kontak Darurat', 'Nomor WA Aktif'], 4, { '3': 'phone', '2': 'ignore' });
    expect(columns.map((column) => column.field)).toEqual(['address', 'occupant_name', 'ignore', 'phone']);
  });

  it('maps an unrecognised header through the override', () => {
    const columns = mapColumns(['Unit Rumah', 'Penanggung Jawab'], 2, { '1': 'owner_name' });
    expect(columns[1]).toEqual({ index: 1, header: 'Penanggung Jawab', field: 'owner_name' });
  });

  it.each([
    [{ '9': 'phone' }, 'tidak ada'],
    [{ x: 'phone' }, 'tidak ada'],
    [{ '0': 'salary' }, 'bukan kolom'],
    [{ '0': 'phone', '1': 'phone' }, 'Dua kolom'],
  ])('rejects the override %j', (override, message) => {
    const attempt = () => mapColumns(['Alamat', 'Nama'], 2, override as never);
    expect(attempt).toThrow(ImportFileError);
    expect(attempt).toThrow(message);
  });
});

describe('findHeaderRow', () => {
  const row = (number: number, cells: string[]) => ({ number, cells });

  it('skips title rows and blank rows above the header', () => {
    const header = findHeaderRow([
      row(1, ['DATA WARGA RT 05 / RW 12']),
      row(2, ['PERUMAHAN GRIYA ASRI']),
      row(4, ['No', 'Blok', 'No Rumah', 'Nama Pemilik']),
      row(5, ['1', 'A', '1', 'Ratna']),
    ]);
    expect(header?.row.number).toBe(4);
  });

  it('needs a column that locates the unit', () => {
    const header = findHeaderRow([row(1, ['Nama', 'No HP']), row(2, ['Alamat', 'Nama', 'No HP'])]);
    expect(header?.row.number).toBe(2);
  });

  it('falls back to the first row of text cells when no header is recognised', () => {
    const header = findHeaderRow([row(1, ['Judul']), row(2, ['Rumah ke', 'Penanggung jawab']), row(3, ['A-1', 'Budi'])]);
    expect(header).toMatchObject({ score: 0, row: { number: 2 } });
  });

  it('finds nothing in a sheet of numbers', () => {
    expect(findHeaderRow([row(1, ['1', '2'])])).toBeNull();
  });
});
