import { describe, expect, it } from 'vitest';
import { diffImport, type EstateSnapshot } from './import-diff.ts';
import type { PlannedResident, PlannedRow, PlannedUnit } from './import-plan.ts';

const unit = (code: string, extra: Partial<PlannedUnit> = {}): PlannedUnit => ({
  code,
  block: code.split('-')[0],
  type: 'rumah',
  land_area_m2: null,
  building_area_m2: null,
  occupancy: 'occupied',
  notes: null,
  ...extra,
});
const person = (name: string, relation: PlannedResident['relation'] = 'owner', phone: string | null = null): PlannedResident => ({
  name,
  relation,
  phone,
  email: null,
});
const row = (n: number, u: PlannedUnit, residents: PlannedResident[]): PlannedRow => ({
  row_number: n,
  unit_code: u.code,
  unit: u,
  residents,
  errors: [],
});
const empty: EstateSnapshot = { units: [], residents: [], occupancies: [] };

describe('diffImport', () => {
  it('creates units and residents in an empty estate', () => {
    const { operations, summary, outcomes } = diffImport([row(2, unit('A-1'), [person('Budi'), person('Tono', 'tenant')])], empty);
    expect(operations.map((operation) => operation.kind)).toEqual(['create_unit', 'create_resident', 'create_resident']);
    expect(summary).toMatchObject({ units_create: 1, residents_create: 2 });
    expect(outcomes[0]).toMatchObject({ action: 'create', unit_code: 'A-1' });
  });

  it('links an owner of two houses (same name and phone) instead of creating them twice', () => {
    const rows = [
      row(2, unit('A-1'), [person('Budi', 'owner', '+6281234567890')]),
      row(3, unit('A-2'), [person('budi', 'owner', '+6281234567890')]),
    ];
    const { operations, summary } = diffImport(rows, empty);
    expect(operations.map((operation) => operation.kind)).toEqual(['create_unit', 'create_resident', 'create_unit', 'link_resident']);
    expect(summary).toMatchObject({ residents_create: 1, residents_update: 1 });
  });

  it('keeps two people with the same phone apart when their names differ and neither lives in the unit', () => {
    const rows = [
      row(2, unit('A-1'), [person('Budi', 'owner', '+6281234567890')]),
      row(3, unit('A-2'), [person('Sari', 'owner', '+6281234567890')]),
    ];
    expect(diffImport(rows, empty).summary.residents_create).toBe(2);
  });

  const existing: EstateSnapshot = {
    units: [
      { id: 'u1', code: 'A-1', block: 'A', type: 'rumah', land_area_m2: 72, building_area_m2: 36, occupancy: 'occupied', notes: 'pojok' },
    ],
    residents: [
      { id: 'r1', name: 'Budi S', phone: '+6281234567890', email: null },
      { id: 'r2', name: 'Tono', phone: null, email: 'tono@contoh.id' },
    ],
    occupancies: [
      { id: 'o1', unit_id: 'u1', resident_id: 'r1', relation: 'owner' },
      { id: 'o2', unit_id: 'u1', resident_id: 'r2', relation: 'family' },
    ],
  };

  it('finds nothing to do when the sheet says what the estate has, even with empty cells', () => {
    const { operations, summary, outcomes } = diffImport(
      [row(2, unit('A-1', { land_area_m2: 72 }), [person('Budi S', 'owner', '+6281234567890'), person('tono', 'family')])],
      existing,
    );
    expect(operations).toEqual([]);
    expect(summary).toMatchObject({ units_unchanged: 1, residents_unchanged: 2 });
    expect(outcomes[0].action).toBe('unchanged');
  });

  it('corrects a name matched by phone, a changed relation and a changed unit field', () => {
    const rows = [
      row(2, unit('A-1', { occupancy: 'occupied', land_area_m2: 90 }), [
        person('Budi Santoso', 'owner', '+6281234567890'),
        person('Tono', 'tenant'),
      ]),
    ];
    const { operations, outcomes } = diffImport(rows, existing);
    expect(operations).toEqual([
      { kind: 'update_unit', unitId: 'u1', patch: { land_area_m2: 90 } },
      { kind: 'update_resident', residentId: 'r1', patch: { name: 'Budi Santoso' } },
      { kind: 'change_relation', occupancyId: 'o2', relation: 'tenant' },
    ]);
    expect(outcomes[0].residents.map((resident) => resident.action)).toEqual(['update', 'update']);
  });

  it('reports rows with errors and plans nothing for them', () => {
    const bad: PlannedRow = { row_number: 7, unit_code: null, unit: null, residents: [], errors: [{ field: 'address', message: 'x' }] };
    const { operations, summary, outcomes } = diffImport([bad], empty);
    expect(operations).toEqual([]);
    expect(summary.error_rows).toBe(1);
    expect(outcomes).toEqual([{ row_number: 7, action: 'error', unit_code: null, errors: bad.errors, residents: [] }]);
  });
});
