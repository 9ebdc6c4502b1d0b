import type { ScopedStore } from '../db/scoped-store.ts';
import { nowIso } from '../db/clock.ts';
import { ConflictError } from '../http/errors.ts';
import { rupiah } from '../money/rupiah.ts';
import type { FeeDefinition, FeeRate, UnitType, VacantRule } from './fee-amount.ts';
import { periodOfInstant, type Period } from '../calendar/calendar.ts';

/**
 * Fee types (IPL, keamanan, kebersihan, …) and their effective-dated rates. Changing an amount never edits a rate:
 * it appends a new rate from its effective month, so invoices already issued and periods before it keep theirs.
 */
export interface FeeTypeInput {
  code: string;
  name: string;
  amount: number;
  basis: 'flat' | 'per_m2';
  /** A list restricts the fee to those types; a map gives per-type amounts and restricts it to the keys. */
  unit_types?: UnitType[] | Partial<Record<UnitType, number>> | null;
  vacant_rule?: VacantRuleInput;
  /** YYYY-MM or YYYY-MM-DD; defaults to the current month in the estate's zone. */
  effective_from?: string;
}

export type VacantRuleInput = 'charge' | 'exempt' | { mode: 'charge' | 'exempt' } | { mode: 'discount'; percent: number };

interface FeeTypeRow {
  id: string;
  code: string;
  name: string;
  basis: 'flat' | 'per_m2';
  unit_types: string | null;
  vacant_rule: string;
  vacant_discount_percent: number | null;
  inactive_from: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

interface FeeRateRow {
  id: string;
  fee_type_id: string;
  effective_from: string;
  amount: number | string;
  amounts_by_type: string | null;
  created_by: string | null;
  created_at: string;
}

function normalizeVacantRule(rule: VacantRuleInput | undefined): { vacant_rule: string; vacant_discount_percent: number | null } {
  if (rule === undefined) return { vacant_rule: 'exempt', vacant_discount_percent: null };
  if (typeof rule === 'string') return { vacant_rule: rule, vacant_discount_percent: null };
  if (rule.mode === 'discount') return { vacant_rule: 'discount', vacant_discount_percent: rule.percent };
  return { vacant_rule: rule.mode, vacant_discount_percent: null };
}

function splitUnitTypes(input: FeeTypeInput['unit_types']): { unit_types: string | null; amounts_by_type: string | null } {
  if (!input) return { unit_types: null, amounts_by_type: null };
  if (Array.isArray(input)) return { unit_types: JSON.stringify([...new Set(input)]), amounts_by_type: null };
  return { unit_types: JSON.stringify(Object.keys(input)), amounts_by_type: JSON.stringify(input) };
}

async function effectivePeriod(store: ScopedStore, value: string | undefined): Promise<Period> {
  if (value) return value.slice(0, 7) as Period;
  return periodOfInstant(nowIso(), await store.timezone());
}

function vacantRuleOf(row: FeeTypeRow): VacantRule {
  if (row.vacant_rule === 'discount') return { mode: 'discount', percent: Number(row.vacant_discount_percent ?? 0) };
  return { mode: row.vacant_rule === 'charge' ? 'charge' : 'exempt' };
}

function serializeFeeType(row: FeeTypeRow, rates: FeeRateRow[], period: Period) {
  const history = rates.map((r) => ({
    id: r.id,
    effective_from: r.effective_from,
    amount: Number(r.amount),
    amounts_by_type: r.amounts_by_type ? JSON.parse(r.amounts_by_type) : null,
    created_at: r.created_at,
  }));
  const current = rateInForceOf(history, period) ?? history[history.length - 1] ?? null;
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    basis: row.basis,
    unit_types: row.unit_types ? JSON.parse(row.unit_types) : null,
    vacant_rule: vacantRuleOf(row),
    inactive_from: row.inactive_from ?? null,
    amount: current?.amount ?? null,
    amounts_by_type: current?.amounts_by_type ?? null,
    effective_from: current?.effective_from ?? null,
    rates: history,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function rateInForceOf<T extends { effective_from: string }>(rates: T[], period: string): T | undefined {
  let best: T | undefined;
  for (const r of rates) if (r.effective_from <= period && (!best || r.effective_from >= best.effective_from)) best = r;
  return best;
}

async function ratesOf(store: ScopedStore, feeTypeIds: string[]): Promise<Map<string, FeeRateRow[]>> {
  const map = new Map<string, FeeRateRow[]>();
  if (!feeTypeIds.length) return map;
  const rows = (await store.query('fee_rates').whereIn('fee_type_id', feeTypeIds).orderBy('id')) as FeeRateRow[];
  for (const r of rows) map.set(r.fee_type_id, [...(map.get(r.fee_type_id) ?? []), r]);
  return map;
}

export async function listFeeTypes(store: ScopedStore) {
  const rows = (await store.live('fee_types').orderBy('code')) as FeeTypeRow[];
  const rates = await ratesOf(
    store,
    rows.map((r) => r.id),
  );
  const period = periodOfInstant(nowIso(), await store.timezone());
  return { items: rows.map((r) => serializeFeeType(r, rates.get(r.id) ?? [], period)) };
}

export async function getFeeType(store: ScopedStore, id: string) {
  const row = await store.get<FeeTypeRow>('fee_types', id, 'Jenis iuran');
  const rates = await ratesOf(store, [row.id]);
  return serializeFeeType(row, rates.get(row.id) ?? [], periodOfInstant(nowIso(), await store.timezone()));
}

export async function createFeeType(store: ScopedStore, input: FeeTypeInput) {
  return store.transaction(async (tx) => {
    const code = input.code.toUpperCase();
    const clash = await tx.live('fee_types').where('fee_types.code', code).first('id');
    if (clash) throw new ConflictError('DUPLICATE', `Kode iuran ${code} sudah dipakai.`, 'code');
    const types = splitUnitTypes(input.unit_types);
    const row = await tx.insert<FeeTypeRow & Record<string, unknown>>(
      'fee_types',
      {
        code,
        name: input.name,
        basis: input.basis,
        unit_types: types.unit_types,
        ...normalizeVacantRule(input.vacant_rule),
        deleted_at: null,
      },
      'fee_types.create',
    );
    await tx.appendOnly(
      'fee_rates',
      {
        fee_type_id: row.id,
        effective_from: await effectivePeriod(tx, input.effective_from),
        amount: rupiah(input.amount),
        amounts_by_type: types.amounts_by_type,
        created_by: tx.actor.userId,
      },
      'fee_rates.create',
    );
    return getFeeType(tx, row.id);
  });
}

/**
 * Name, vacant rule or unit types change the fee type itself (a reference row). A new amount (with or without
 * per-type amounts) appends a rate from `effective_from`.
 */
export async function updateFeeType(store: ScopedStore, id: string, input: Partial<FeeTypeInput> & { inactive_from?: string | null }) {
  return store.transaction(async (tx) => {
    const row = await tx.get<FeeTypeRow>('fee_types', id, 'Jenis iuran');
    const patch: Record<string, unknown> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.basis !== undefined) patch.basis = input.basis;
    // Switching off (or back on) is a fact of the fee type from a month; invoices already issued are not touched.
    if (input.inactive_from !== undefined) patch.inactive_from = input.inactive_from;
    if (input.vacant_rule !== undefined) Object.assign(patch, normalizeVacantRule(input.vacant_rule));
    const types = input.unit_types !== undefined ? splitUnitTypes(input.unit_types) : undefined;
    if (types) patch.unit_types = types.unit_types;
    if (input.code !== undefined && input.code.toUpperCase() !== row.code) {
      const code = input.code.toUpperCase();
      const clash = await tx.live('fee_types').where('fee_types.code', code).first('id');
      if (clash) throw new ConflictError('DUPLICATE', `Kode iuran ${code} sudah dipakai.`, 'code');
      patch.code = code;
    }
    if (Object.keys(patch).length) await tx.update('fee_types', id, patch, 'fee_types.update');
    if (input.amount !== undefined || (types && types.amounts_by_type)) {
      const rates = (await ratesOf(tx, [id])).get(id) ?? [];
      const latest = rates[rates.length - 1];
      await tx.appendOnly(
        'fee_rates',
        {
          fee_type_id: id,
          effective_from: await effectivePeriod(tx, input.effective_from),
          amount: rupiah(input.amount ?? Number(latest?.amount ?? 0)),
          amounts_by_type: types ? types.amounts_by_type : (latest?.amounts_by_type ?? null),
          created_by: tx.actor.userId,
        },
        'fee_rates.create',
      );
    }
    return getFeeType(tx, id);
  });
}

/** A fee type stops being billed (tombstone); invoices already issued keep their lines. */
export async function deleteFeeType(store: ScopedStore, id: string): Promise<void> {
  await store.softDelete('fee_types', id, 'fee_types.delete');
}

/** Every live fee type with all its rates, in the shape the pure fee calculation takes. */
export async function loadFeeDefinitions(store: ScopedStore): Promise<FeeDefinition[]> {
  const rows = (await store.live('fee_types').orderBy('code')) as FeeTypeRow[];
  const rates = await ratesOf(
    store,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    basis: row.basis,
    unit_types: row.unit_types ? (JSON.parse(row.unit_types) as UnitType[]) : null,
    vacant_rule: vacantRuleOf(row),
    inactive_from: (row.inactive_from as Period | null) ?? null,
    rates: (rates.get(row.id) ?? []).map(
      (r): FeeRate => ({
        id: r.id,
        effective_from: r.effective_from as Period,
        amount: rupiah(Number(r.amount)),
        amounts_by_type: r.amounts_by_type ? JSON.parse(r.amounts_by_type) : null,
      }),
    ),
  }));
}
