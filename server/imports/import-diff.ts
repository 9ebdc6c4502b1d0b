import { sameName } from './cell-values.ts';
import type { PlannedResident, PlannedRow, PlannedUnit, ResidentRelation, RowError } from './import-plan.ts';

/** What the estate already holds, read once before an import. */
export interface ExistingUnit {
  id: string;
  code: string;
  block: string | null;
  type: string;
  land_area_m2: number | null;
  building_area_m2: number | null;
  occupancy: string;
  notes: string | null;
}
export interface ExistingResident {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
}
export interface ExistingOccupancy {
  id: string;
  unit_id: string;
  resident_id: string;
  relation: string;
}
export interface EstateSnapshot {
  units: ExistingUnit[];
  residents: ExistingResident[];
  /** Current links only (not moved out). */
  occupancies: ExistingOccupancy[];
}

/** Rows to write, in order. Ids starting with `new:` name rows created earlier in the same import. */
export type ImportOperation =
  | { kind: 'create_unit'; ref: string; unit: PlannedUnit }
  | { kind: 'update_unit'; unitId: string; patch: Partial<PlannedUnit> }
  | { kind: 'create_resident'; ref: string; unitRef: string; resident: PlannedResident }
  | { kind: 'update_resident'; residentId: string; patch: Partial<Pick<PlannedResident, 'name' | 'phone' | 'email'>> }
  | { kind: 'link_resident'; residentRef: string; unitRef: string; relation: ResidentRelation }
  | { kind: 'change_relation'; occupancyId: string; relation: ResidentRelation };

export type Change = 'create' | 'update' | 'unchanged';
export type RowAction = Change | 'error';

export interface RowOutcome {
  row_number: number;
  action: RowAction;
  unit_code: string | null;
  errors: RowError[];
  residents: { name: string; relation: ResidentRelation; action: Change }[];
}

export interface ImportSummary {
  units_create: number;
  units_update: number;
  units_unchanged: number;
  residents_create: number;
  residents_update: number;
  residents_unchanged: number;
  error_rows: number;
}

const UNIT_FIELDS = ['block', 'type', 'land_area_m2', 'building_area_m2', 'occupancy', 'notes'] as const;

/**
 * Decides, without writing, what importing the rows would change: units are matched by code, residents by name
 * among the unit's current residents, then by phone. The sheet only adds and corrects: a value the sheet leaves
 * empty keeps what the estate has, and residents missing from the sheet are left alone. Importing the same sheet
 * again therefore finds nothing to do.
 */
export function diffImport(rows: PlannedRow[], snapshot: EstateSnapshot) {
  const unitsByCode = new Map(snapshot.units.map((unit) => [unit.code, unit]));
  const residents = new Map(snapshot.residents.map((resident) => [resident.id, { ...resident }]));
  const byPhone = new Map<string, string[]>();
  const indexPhone = (phone: string | null, id: string) => {
    if (phone) byPhone.set(phone, [...(byPhone.get(phone) ?? []), id]);
  };
  for (const resident of snapshot.residents) indexPhone(resident.phone, resident.id);
  const occupancies = new Map<string, ExistingOccupancy[]>();
  const addOccupancy = (occupancy: ExistingOccupancy) =>
    occupancies.set(occupancy.unit_id, [...(occupancies.get(occupancy.unit_id) ?? []), occupancy]);
  for (const occupancy of snapshot.occupancies) addOccupancy({ ...occupancy });

  const operations: ImportOperation[] = [];
  const outcomes: RowOutcome[] = [];
  const summary: ImportSummary = {
    units_create: 0,
    units_update: 0,
    units_unchanged: 0,
    residents_create: 0,
    residents_update: 0,
    residents_unchanged: 0,
    error_rows: 0,
  };
  let created = 0;
  // rowStarts[i]: the first operation of row i, so the writes can be applied a slice of rows at a time.
  const rowStarts: number[] = [];

  for (const row of rows) {
    rowStarts.push(operations.length);
    if (row.errors.length > 0 || !row.unit) {
      summary.error_rows++;
      outcomes.push({ row_number: row.row_number, action: 'error', unit_code: row.unit_code, errors: row.errors, residents: [] });
      continue;
    }
    const planned = row.unit;
    const existing = unitsByCode.get(planned.code);
    let unitRef: string;
    let unitChange: Change;
    if (existing) {
      unitRef = existing.id;
      const patch: Partial<PlannedUnit> = {};
      for (const field of UNIT_FIELDS) {
        const value = planned[field];
        if (value !== null && value !== existing[field]) Object.assign(patch, { [field]: value });
      }
      unitChange = Object.keys(patch).length > 0 ? 'update' : 'unchanged';
      if (unitChange === 'update') operations.push({ kind: 'update_unit', unitId: existing.id, patch });
    } else {
      unitRef = `new:${++created}`;
      unitChange = 'create';
      operations.push({ kind: 'create_unit', ref: unitRef, unit: planned });
      unitsByCode.set(planned.code, { id: unitRef, ...planned });
    }
    summary[`units_${unitChange}`]++;

    const matchedInRow = new Set<string>();
    const residentOutcomes: RowOutcome['residents'] = [];
    for (const person of row.residents) {
      const linked = (occupancies.get(unitRef) ?? []).filter((occupancy) => !matchedInRow.has(occupancy.resident_id));
      const byName = linked.filter((occupancy) => sameName(residents.get(occupancy.resident_id)?.name ?? '', person.name));
      let occupancy: ExistingOccupancy | undefined = byName.find((candidate) => candidate.relation === person.relation) ?? byName[0];
      let residentId: string | undefined = occupancy?.resident_id;
      if (!residentId && person.phone) {
        // The same number elsewhere is the same person when the name agrees (an owner of two houses) or when they
        // are already linked to this unit (a name corrected in the sheet).
        residentId = (byPhone.get(person.phone) ?? []).find((id) => {
          if (matchedInRow.has(id)) return false;
          const known = residents.get(id);
          return (known && sameName(known.name, person.name)) || linked.some((candidate) => candidate.resident_id === id);
        });
        occupancy = linked.find((candidate) => candidate.resident_id === residentId);
      }

      let change: Change = 'unchanged';
      if (!residentId) {
        const ref = `new:${++created}`;
        operations.push({ kind: 'create_resident', ref, unitRef, resident: person });
        residents.set(ref, { id: ref, name: person.name, phone: person.phone, email: person.email });
        indexPhone(person.phone, ref);
        addOccupancy({ id: `${ref}:occupancy`, unit_id: unitRef, resident_id: ref, relation: person.relation });
        matchedInRow.add(ref);
        change = 'create';
      } else {
        matchedInRow.add(residentId);
        const known = residents.get(residentId)!;
        const patch: Partial<Pick<PlannedResident, 'name' | 'phone' | 'email'>> = {};
        // Only a real correction renames; a difference in case alone would flip back and forth between two rows
        // that spell the same person differently.
        if (!sameName(known.name, person.name)) patch.name = person.name;
        if (person.phone && person.phone !== known.phone) patch.phone = person.phone;
        if (person.email && person.email !== known.email) patch.email = person.email;
        if (Object.keys(patch).length > 0) {
          operations.push({ kind: 'update_resident', residentId, patch });
          Object.assign(known, patch);
          if (patch.phone) indexPhone(patch.phone, residentId);
          change = 'update';
        }
        if (!occupancy) {
          operations.push({ kind: 'link_resident', residentRef: residentId, unitRef, relation: person.relation });
          addOccupancy({ id: `${residentId}:${unitRef}`, unit_id: unitRef, resident_id: residentId, relation: person.relation });
          change = 'update';
        } else if (occupancy.relation !== person.relation) {
          operations.push({ kind: 'change_relation', occupancyId: occupancy.id, relation: person.relation });
          occupancy.relation = person.relation;
          change = 'update';
        }
      }
      summary[`residents_${change}`]++;
      residentOutcomes.push({ name: person.name, relation: person.relation, action: change });
    }

    const anyResidentChange = residentOutcomes.some((outcome) => outcome.action !== 'unchanged');
    const action: RowAction = unitChange === 'create' ? 'create' : unitChange === 'update' || anyResidentChange ? 'update' : 'unchanged';
    outcomes.push({ row_number: row.row_number, action, unit_code: planned.code, errors: [], residents: residentOutcomes });
  }
  return { operations, outcomes, summary, rowStarts };
}
