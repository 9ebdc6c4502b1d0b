import { newId } from '../db/ids.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { indonesianIssueMessage } from '../http/zod-messages.ts';
import { newResidentValues, residentCreateBody, updateResident } from '../residents/index.ts';
import { newUnitValues, reindexUnitSearch, unitCreateBody, updateUnit } from '../units/index.ts';
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

const ROWS_PER_SLICE = 1000;

/**
 * Applies an import as a job does: one transaction per slice of rows, reporting the rows written after each, so the
 * office can watch a sheet of 10,000 rows being written. A job that dies half-way is run again from the start:
 * the rows already written then compare as unchanged, so a second run finishes the work without doubling any of it.
 */
export async function applyImportInSlices(
  store: ScopedStore,
  plan: ImportPlan,
  onProgress: (rowsDone: number, rowsTotal: number) => Promise<void>,
) {
  const rows = checkAgainstApiRules(plan);
  const { operations, summary, rowStarts } = diffImport(rows, await loadSnapshot(store));
  const ids = new Map<string, string>();
  await onProgress(0, rows.length);
  for (let from = 0; from < rows.length; from += ROWS_PER_SLICE) {
    const to = Math.min(rows.length, from + ROWS_PER_SLICE);
    const slice = operations.slice(rowStarts[from], to < rows.length ? rowStarts[to] : operations.length);
    await store.transaction((tx) => applyOperations(tx, slice, ids));
    await onProgress(to, rows.length);
    // On SQLite a slice runs on this thread without waiting for I/O; let the requests that queued meanwhile (the
    // office asking how far the import got) be answered before the next one.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return summary;
}

/**
 * The same rules the units and residents endpoints apply (code form, lengths, phone, e-mail), so a row the API would
 * refuse is reported as a row error instead of failing the whole import. Codes take the API's normal form. zod's
 * own checks answer in the API's Indonesian sentences, not zod's English wording, and translate like them.
 */
function checkAgainstApiRules(plan: ImportPlan): PlannedRow[] {
  const identityField = plan.columns.some((column) => column.field === 'number') ? 'number' : 'address';
  const firstRowOfCode = new Map<string, number>();
  return plan.rows.map((row) => {
    if (!row.unit || row.errors.length > 0) return row;
    const errors = [...row.errors];
    const unit = unitCreateBody.safeParse(row.unit, { error: indonesianIssueMessage });
    let code = row.unit.code;
    if (!unit.success) {
      for (const issue of unit.error.issues) {
        const path = String(issue.path[0] ?? 'code');
        errors.push({ field: path === 'code' || path === 'block' ? identityField : path, message: issue.message });
      }
    } else {
      code = unit.data.code;
      const first = firstRowOfCode.get(code);
      if (first !== undefined) errors.push({ field: identityField, message: `Unit ${code} sudah ada di baris ${first}.` });
      else firstRowOfCode.set(code, row.row_number);
    }
    for (const resident of row.residents) {
      // The phone is already the E.164 form the sheet's own reader validated with the same library; parsing it
      // again for each of 10,000 rows costs more than the rest of the check.
      const checked = residentCreateBody.safeParse({ ...resident, phone: null }, { error: indonesianIssueMessage });
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

/**
 * Writes the operations through the scoped store: new units, residents and their links as multi-row inserts (each row
 * still journaled), the few corrections of existing rows one by one through the units and residents services. One
 * statement per row, with its own lookups, is what made a 20,000-row sheet take minutes.
 */
async function applyOperations(tx: ScopedStore, operations: ImportOperation[], ids = new Map<string, string>()): Promise<void> {
  const resolve = (ref: string) => ids.get(ref) ?? ref;
  const units: Record<string, unknown>[] = [];
  const residents = new Map<string, Record<string, unknown>>();
  const links = new Map<string, Record<string, unknown>>();
  const later: ImportOperation[] = [];

  for (const operation of operations) {
    if (operation.kind === 'create_unit') {
      const id = newId();
      ids.set(operation.ref, id);
      units.push({ id, ...newUnitValues(operation.unit) });
    } else if (operation.kind === 'create_resident') {
      const id = newId();
      ids.set(operation.ref, id);
      const { name, phone, email, relation } = operation.resident;
      residents.set(id, { id, ...newResidentValues({ name, phone, email, directory_opt_in: false, notes: null }) });
      // The diff names this link `<ref>:occupancy` when a later row changes its relation.
      links.set(`${operation.ref}:occupancy`, {
        id: newId(),
        resident_id: id,
        unit_ref: operation.unitRef,
        relation,
        moved_in_on: null,
        moved_out_on: null,
      });
    } else if (operation.kind === 'link_resident') {
      // A second unit for someone already known (an owner of two houses): a new link, not a move.
      links.set(`${operation.residentRef}:${operation.unitRef}`, {
        id: newId(),
        resident_ref: operation.residentRef,
        unit_ref: operation.unitRef,
        relation: operation.relation,
        moved_in_on: null,
        moved_out_on: null,
      });
    } else if (operation.kind === 'update_resident' && residents.has(resolve(operation.residentId))) {
      // A later row correcting someone this import creates: the row is written once, already corrected.
      const row = residents.get(resolve(operation.residentId))!;
      Object.assign(row, newResidentValues({ ...row, ...operation.patch } as Parameters<typeof newResidentValues>[0]));
    } else if (operation.kind === 'change_relation' && links.has(operation.occupancyId)) {
      links.get(operation.occupancyId)!.relation = operation.relation;
    } else {
      later.push(operation);
    }
  }

  await tx.insertMany('units', units);
  await tx.insertMany('residents', [...residents.values()]);
  // A link's name in the diff resolves to its row, for a later slice of the same import that changes its relation.
  for (const [name, link] of links) ids.set(name, link.id as string);
  const occupancies = [...links.values()].map(({ unit_ref, resident_ref, ...link }) => ({
    ...link,
    unit_id: resolve(unit_ref as string),
    resident_id: resident_ref === undefined ? link.resident_id : resolve(resident_ref as string),
  }));
  await tx.insertMany('unit_occupancies', occupancies);
  await reindexUnitSearch(tx, [...units.map((u) => u.id as string), ...occupancies.map((o) => o.unit_id)]);

  for (const operation of later) {
    switch (operation.kind) {
      case 'update_unit':
        await updateUnit(tx, operation.unitId, operation.patch);
        break;
      case 'update_resident':
        await updateResident(tx, resolve(operation.residentId), operation.patch);
        break;
      case 'change_relation':
        await tx.update('unit_occupancies', resolve(operation.occupancyId), { relation: operation.relation });
        break;
      default:
        throw new Error(`import operation ${operation.kind} was not written`);
    }
  }
}
