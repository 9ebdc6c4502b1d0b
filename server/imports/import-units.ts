import type { ScopedStore } from '../db/scoped-store.ts';
import { createResident, linkResidentToUnit, updateResident, residentCreateBody } from '../residents/index.ts';
import { createUnit, updateUnit, unitCreateBody } from '../units/index.ts';
import { diffImport, type EstateSnapshot, type ImportOperation } from './import-diff.ts';
import type { ImportPlan, PlannedRow } from './import-plan.ts';

/**
 * Previews (`dryRun`) or applies an import plan. Applying happens in one transaction through the units and residents
 * services, so every row written carries its audit and outbox rows, and a failure leaves the estate as it was.
 */
export async function importUnits(store: ScopedStore, plan: ImportPlan, dryRun: boolean) {
  const rows = checkAgainstApiRules(plan);
  const run = async (tx: ScopedStore) => {
    const { operations, outcomes, summary } = diffImport(rows, await loadSnapshot(tx));
    if (!dryRun) await applyOperations(tx, operations);
    return {
      dry_run: dryRun,
      sheet: plan.sheet,
      header_row: plan.header_row,
      columns: plan.columns,
      unmapped_columns: plan.unmapped_columns,
      summary,
      rows: outcomes,
    };
  };
  return dryRun ? run(store) : store.transaction(run);
}

/**
 * The same rules the units and residents endpoints apply (code form, lengths, phone, e-mail), so a row the API would
 * refuse is reported as a row error instead of failing the whole import. Codes take the API's normal form.
 */
function checkAgainstApiRules(plan: ImportPlan): PlannedRow[] {
  const identityField = plan.columns.some((column) => column.field === 'number') ? 'number' : 'address';
  const firstRowOfCode = new Map<string, number>();
  return plan.rows.map((row) => {
    if (!row.unit || row.errors.length > 0) return row;
    const errors = [...row.errors];
    const unit = unitCreateBody.safeParse(row.unit);
    let code = row.unit.code;
    if (!unit.success) {
      for (const issue of unit.error.issues) {
        const path = String(issue.path[0] ?? 'code');
        errors.push({ field: path === 'code' || path === 'block' ? identityField : path, message: issue.message });
      }
    } else {
      code = unit.data.code;
      const first = firstRowOfCode.get(code);
      if (first !== undefined) errors.push({ field: identityField, message: `unit ${code} sudah ada di baris ${first}` });
      else firstRowOfCode.set(code, row.row_number);
    }
    for (const resident of row.residents) {
      const checked = residentCreateBody.safeParse(resident);
      if (checked.success) continue;
      for (const issue of checked.error.issues) {
        const path = String(issue.path[0] ?? 'name');
        const field = path === 'name' ? (resident.relation === 'owner' ? 'owner_name' : 'occupant_name') : path;
        errors.push({ field, message: issue.message });
      }
    }
    return { ...row, unit_code: code, unit: { ...row.unit, code }, errors };
  });
}

async function loadSnapshot(store: ScopedStore): Promise<EstateSnapshot> {
  // One after another: inside a PostgreSQL transaction the connection serves one query at a time.
  const units = await store.live('units').select('id', 'code', 'block', 'type', 'land_area_m2', 'building_area_m2', 'occupancy', 'notes');
  const residents = await store.live('residents').select('id', 'name', 'phone', 'email');
  const occupancies = await store.live('unit_occupancies').whereNull('moved_out_on').select('id', 'unit_id', 'resident_id', 'relation');
  return { units, residents, occupancies };
}

async function applyOperations(tx: ScopedStore, operations: ImportOperation[]): Promise<void> {
  const created = new Map<string, string>();
  const resolve = (ref: string) => created.get(ref) ?? ref;
  for (const operation of operations) {
    switch (operation.kind) {
      case 'create_unit': {
        const unit = await createUnit(tx, operation.unit);
        created.set(operation.ref, unit.id);
        break;
      }
      case 'update_unit':
        await updateUnit(tx, operation.unitId, operation.patch);
        break;
      case 'create_resident': {
        const { name, phone, email, relation } = operation.resident;
        const resident = await createResident(tx, {
          name,
          phone,
          email,
          relation,
          unit_id: resolve(operation.unitRef),
          moved_in_on: null,
          directory_opt_in: false,
          notes: null,
        });
        created.set(operation.ref, resident.id);
        break;
      }
      case 'update_resident':
        await updateResident(tx, operation.residentId, operation.patch);
        break;
      case 'link_resident':
        // A second unit for someone already known (an owner of two houses): a new link, not a move.
        await linkResidentToUnit(tx, resolve(operation.residentRef), resolve(operation.unitRef), operation.relation, null);
        break;
      case 'change_relation':
        await tx.update('unit_occupancies', operation.occupancyId, { relation: operation.relation });
        break;
    }
  }
}
