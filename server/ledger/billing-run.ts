import type { ScopedStore } from '../db/scoped-store.ts';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { BadRequestError, ConflictError } from '../http/errors.ts';
import { rupiah, sumRupiah, ZERO_RUPIAH, type Rupiah } from '../money/rupiah.ts';
import { applyCreditToInvoices } from './allocation.ts';
import { appendAllocations, appendCreditMovements, appendRows } from './ledger-rows.ts';
import { creditsByUnit, openInvoicesOfUnit } from './ledger-store.ts';
import { invoiceBalancesQuery, isOverdue, toInvoiceBalance } from './invoice-balance.ts';
import { lockName, lockUnits } from './row-lock.ts';
import { billingSettingsOf } from './billing-settings.ts';
import { beginRun, endRun, reportProgress } from './billing-progress.ts';
import { deterministicId, invoiceLineIds } from './deterministic-id.ts';
import { feeLinesForUnit, type BillableUnit, type FeeLine } from './fee-amount.ts';
import { loadFeeDefinitions } from './fee-service.ts';
import { lateFeeFor } from './late-fee.ts';
import { mintInvoiceNumbers } from './number-minting.ts';
import { localDateOfInstant, type Period } from '../calendar/calendar.ts';
import { proposedDueDate } from './due-date.ts';

/**
 * The monthly billing run: one dues invoice per billable unit for a period, one line per applicable fee (plus a
 * late fee for overdue earlier invoices when the estate has a rule), credit applied to the new invoices. The whole
 * run is one transaction with batched inserts and one audit row; re-running a period creates nothing because each
 * invoice's identity is (estate, unit, period).
 */
export interface BillingRunInput {
  period: Period;
  due_date?: string;
  dry_run?: boolean;
  trigger?: 'manual' | 'schedule';
}

interface PlannedInvoice {
  id: string;
  unit_id: string;
  lines: FeeLine[];
  lateFees: Array<{ source_invoice_id: string; source_number: string; amount: Rupiah }>;
  total: Rupiah;
}

interface Estate {
  timezone: string;
  settings: unknown;
}

async function loadEstate(store: ScopedStore): Promise<Estate> {
  const row = await store.knex('estates').where({ id: store.estateId }).first('timezone', 'settings');
  return { timezone: row?.timezone || 'Asia/Jakarta', settings: row?.settings ?? '{}' };
}

async function plan(store: ScopedStore, input: BillingRunInput, estate: Estate, today: string) {
  const settings = billingSettingsOf(estate.settings);
  const dueDate = input.due_date ?? proposedDueDate(input.period, settings.due_day, today);
  if (dueDate < `${input.period}-01`) {
    throw new BadRequestError('VALIDATION_FAILED', 'Jatuh tempo tidak boleh sebelum awal periode.', 'due_date');
  }
  const fees = await loadFeeDefinitions(store);
  const units = (await store.live('units').orderBy('units.code').select('id', 'code', 'type', 'land_area_m2', 'occupancy')) as Array<
    BillableUnit & { code: string }
  >;
  const billed = new Set(
    (await store.query('invoices').where({ 'invoices.period': input.period, 'invoices.kind': 'dues' }).select('unit_id')).map(
      (r: { unit_id: string }) => r.unit_id,
    ),
  );

  // Overdue earlier invoices earn a late fee once, carried on this period's invoice.
  const lateByUnit = new Map<string, PlannedInvoice['lateFees']>();
  if (settings.late_fee) {
    const charged = new Set(
      (await store.query('invoice_lines').whereNotNull('source_invoice_id').select('source_invoice_id')).map(
        (r: { source_invoice_id: string }) => r.source_invoice_id,
      ),
    );
    const rows = (await invoiceBalancesQuery(store, (q) =>
      q.where('i.due_date', '<', today).where('i.period', '<', input.period),
    )) as Record<string, unknown>[];
    const overdue = rows.map(toInvoiceBalance).filter((i) => isOverdue(i, today) && !charged.has(i.id));
    for (const inv of overdue) {
      const amount = lateFeeFor({ due_date: inv.due_date, outstanding: rupiah(inv.outstanding) }, today, settings.late_fee);
      if (amount <= 0) continue;
      lateByUnit.set(inv.unit_id, [
        ...(lateByUnit.get(inv.unit_id) ?? []),
        { source_invoice_id: inv.id, source_number: inv.number, amount },
      ]);
    }
  }

  const planned: PlannedInvoice[] = [];
  let existing = 0;
  let notBilled = 0;
  const byFee = new Map<string, { fee_type_id: string; code: string; name: string; lines: number; amount: number }>();
  for (const fee of fees) byFee.set(fee.id, { fee_type_id: fee.id, code: fee.code, name: fee.name, lines: 0, amount: 0 });
  for (const unit of units) {
    if (billed.has(unit.id)) {
      existing++;
      continue;
    }
    const lines = feeLinesForUnit(fees, unit, input.period);
    if (!lines.length) {
      notBilled++;
      continue;
    }
    const lateFees = lateByUnit.get(unit.id) ?? [];
    for (const l of lines) {
      const f = byFee.get(l.fee_type_id)!;
      f.lines++;
      f.amount += l.amount;
    }
    planned.push({
      id: deterministicId('invoice', store.estateId, unit.id, input.period, 'dues'),
      unit_id: unit.id,
      lines,
      lateFees,
      total: sumRupiah([...lines.map((l) => l.amount), ...lateFees.map((l) => l.amount)]),
    });
  }
  const summary = {
    period: input.period,
    due_date: dueDate,
    total_units: units.length,
    invoices_created: planned.length,
    invoices_existing: existing,
    units_not_billed: notBilled,
    lines_created: planned.reduce((s, p) => s + p.lines.length + p.lateFees.length, 0),
    total_amount: sumRupiah(planned.map((p) => p.total)),
    late_fee_amount: sumRupiah(planned.flatMap((p) => p.lateFees.map((l) => l.amount))),
    by_fee: [...byFee.values()],
  };
  return { planned, summary };
}

export async function previewBillingRun(store: ScopedStore, input: BillingRunInput) {
  const estate = await loadEstate(store);
  const today = localDateOfInstant(nowIso(), estate.timezone);
  const { summary } = await plan(store, input, estate, today);
  const credits = await creditsByUnit(store);
  return { dry_run: true, ...summary, units_with_credit: credits.size };
}

/** Runs (commits) a billing run. `runId` lets a caller that answered 202 already poll the progress by id. */
export async function runBilling(store: ScopedStore, input: BillingRunInput, runId = newId()) {
  const startedAt = nowIso();
  if (
    !beginRun({
      id: runId,
      estate_id: store.estateId,
      period: input.period,
      status: 'running',
      processed_units: 0,
      total_units: 0,
      started_at: startedAt,
    })
  ) {
    throw new ConflictError('RUN_IN_PROGRESS', 'Penagihan lain sedang berjalan untuk perumahan ini.');
  }
  try {
    const result = await store.transaction((tx) => commitRun(tx, input, runId, startedAt));
    endRun(runId);
    return result;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    endRun(runId, { code: typeof e.code === 'string' ? e.code : 'INTERNAL', message: e.message ?? 'failed' });
    throw err;
  }
}

const CHUNK = 1000;

async function commitRun(tx: ScopedStore, input: BillingRunInput, runId: string, startedAt: string) {
  // The in-memory guard in billing-progress.ts covers one process; server processes sharing one PostgreSQL database
  // bill an estate one at a time here, and a run that waited plans after the other's invoices are visible.
  await lockName(tx, `billing:${tx.estateId}`);
  const estate = await loadEstate(tx);
  const today = localDateOfInstant(startedAt, estate.timezone);
  const { planned, summary } = await plan(tx, input, estate, today);
  const progress = { total: planned.length };
  reportProgress(runId, 0, planned.length);

  const numbers = await mintInvoiceNumbers(tx, input.period, planned.length);
  const at = nowIso();
  const by = tx.actor.userId;
  for (let i = 0; i < planned.length; i += CHUNK) {
    const chunk = planned.slice(i, i + CHUNK);
    const invoices = chunk.map((p, j) => ({
      id: p.id,
      unit_id: p.unit_id,
      number: numbers[i + j],
      period: input.period,
      kind: 'dues',
      identity_key: `dues:${p.unit_id}:${input.period}`,
      issue_date: today,
      due_date: summary.due_date,
      total: p.total,
      billing_run_id: runId,
      charge_id: null,
      created_by: by,
      created_at: at,
    }));
    // A line's id follows from its invoice's like the invoice's from its unit and period: the same month billed on two
    // sites before they meet gives the same lines, not a second set.
    const lines = chunk.flatMap((p) => {
      const lineId = invoiceLineIds(p.id);
      return [
        ...p.lines.map((l, k) => ({
          id: lineId(k),
          invoice_id: p.id,
          fee_type_id: l.fee_type_id,
          fee_rate_id: l.fee_rate_id,
          source_invoice_id: null,
          description: l.description,
          quantity: l.quantity,
          unit_amount: l.unit_amount,
          amount: l.amount,
          created_at: at,
        })),
        ...p.lateFees.map((l) => ({
          id: lineId({ lateFeeFor: l.source_invoice_id }),
          invoice_id: p.id,
          fee_type_id: null,
          fee_rate_id: null,
          source_invoice_id: l.source_invoice_id,
          description: `Denda keterlambatan ${l.source_number}`,
          quantity: '1',
          unit_amount: l.amount,
          amount: l.amount,
          created_at: at,
        })),
      ];
    });
    await appendRows(tx, 'invoices', invoices);
    await appendRows(tx, 'invoice_lines', lines);
    reportProgress(runId, Math.min(i + CHUNK, progress.total));
  }

  const creditApplied = await applyCreditToNewInvoices(
    tx,
    planned.map((p) => p.unit_id),
  );
  const run = {
    id: runId,
    period: input.period,
    due_date: summary.due_date,
    trigger: input.trigger ?? 'manual',
    status: 'completed',
    total_units: summary.total_units,
    invoices_created: summary.invoices_created,
    invoices_existing: summary.invoices_existing,
    units_not_billed: summary.units_not_billed,
    lines_created: summary.lines_created,
    total_amount: summary.total_amount,
    credit_applied: creditApplied,
    started_at: startedAt,
    finished_at: nowIso(),
    created_by: by,
  };
  await tx.appendOnly('billing_runs', run, 'billing_runs.run');
  return { dry_run: false, ...run, late_fee_amount: summary.late_fee_amount, by_fee: summary.by_fee };
}

/** Units with credit (saldo titipan) pay their new invoices from it, oldest open invoice first. */
export async function applyCreditToNewInvoices(tx: ScopedStore, unitIds: string[]): Promise<Rupiah> {
  const wanted = new Set(unitIds);
  let credits = await creditsByUnit(tx);
  const withCredit = [...credits.keys()].filter((id) => wanted.has(id));
  if (!withCredit.length) return ZERO_RUPIAH;
  // Credit is read again under the units' locks, so a refund or payment that landed meanwhile is seen.
  if (await lockUnits(tx, withCredit)) credits = await creditsByUnit(tx);
  const allocations = [];
  const movements = [];
  for (const [unitId, credit] of credits) {
    if (!wanted.has(unitId)) continue;
    const open = await openInvoicesOfUnit(tx, unitId);
    const { allocations: planned } = applyCreditToInvoices(rupiah(credit), open);
    for (const a of planned) {
      allocations.push({ unit_id: unitId, invoice_id: a.invoice_id, payment_id: null, amount: a.amount, reason: 'credit' as const });
      movements.push({ unit_id: unitId, amount: -a.amount, kind: 'applied' as const, invoice_id: a.invoice_id });
    }
  }
  await appendAllocations(tx, allocations);
  await appendCreditMovements(tx, movements);
  return sumRupiah(allocations.map((a) => rupiah(a.amount)));
}
