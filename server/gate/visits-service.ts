import { DateTime } from 'luxon';
import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError } from '../http/errors.ts';
import { appendAccessLog, type LogFields } from './access-log-store.ts';
import type { RejectionReason } from '../passes/index.ts';
import { livesIn } from '../residency/index.ts';
import { notifyUnits } from '../notifications/index.ts';
import type { GatePost } from './gate-post.ts';
import { printSlipJob } from './slip-job.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { WalkInInput } from './schemas.ts';

export type VisitRow = {
  id: string;
  kind: 'guest' | 'temporary' | 'walk_in';
  pass_id: string | null;
  unit_id: string;
  name: string;
  phone: string | null;
  plate: string | null;
  purpose: string | null;
  people: number;
  id_card_left: boolean | number;
  entered_at: string;
  entry_gate_id: string | null;
  expected_until: string | null;
  exited_at: string | null;
  exit_gate_id: string | null;
};

export type VisitOpening = Omit<VisitRow, 'id' | 'exited_at' | 'exit_gate_id' | 'entry_gate_id'>;

export async function openVisit(tx: ScopedStore, post: GatePost, visit: VisitOpening): Promise<VisitRow> {
  const row = await tx.insert<VisitRow & Record<string, unknown>>(
    'gate_visits',
    { ...visit, entry_gate_id: post.gate.id, exited_at: null, exit_gate_id: null },
    'gate_visits.enter',
  );
  await tx.announce('visits', row.unit_id);
  return row;
}

export async function closeVisit(tx: ScopedStore, post: GatePost, visitId: string, at: string): Promise<VisitRow> {
  const row = await tx.update<VisitRow & Record<string, unknown>>(
    'gate_visits',
    visitId,
    { exited_at: at, exit_gate_id: post.gate.id },
    'gate_visits.exit',
  );
  await tx.announce('visits', row.unit_id);
  return row;
}

/**
 * Whether a portal notice for the unit reaches anyone: an active account of a resident who lives there on the
 * estate's today. A unit nobody can read in the portal must not make the guard tell the guest the host knows.
 */
export async function unitHasPortalReader(tx: ScopedStore, unitId: string): Promise<boolean> {
  const readers = (await tx
    .live('memberships')
    .join('users', 'users.id', 'memberships.user_id')
    .where('memberships.role', 'resident')
    .whereNotNull('memberships.resident_id')
    .where('users.status', 'active')
    .whereNull('users.deleted_at')
    .select('memberships.resident_id')) as { resident_id: string }[];
  for (const reader of readers) if (await livesIn(tx, reader.resident_id, unitId)) return true;
  return false;
}

/** Tells the host unit in the portal that someone arrived for them. */
export async function notifyHost(tx: ScopedStore, post: GatePost, visit: VisitRow, kind: 'walk_in' | 'guest_arrived'): Promise<void> {
  const notice = await tx.insert<{ id: string }>('gate_notifications', {
    unit_id: visit.unit_id,
    visit_id: visit.id,
    kind,
    guest_name: visit.name,
    purpose: visit.purpose,
    gate_name: post.gate.name,
    read_at: null,
  });
  await tx.announce('gate_notifications', visit.unit_id);
  // The bell in the portal header carries it too; the portal words it by kind around the guest's name.
  await notifyUnits(tx, [
    {
      unitId: visit.unit_id,
      kind,
      title: visit.name,
      body: visit.purpose ?? null,
      link: '/portal/guests',
      source: { table: 'gate_notifications', id: notice.id },
    },
  ]);
}

/** The access-log row of a visit leaving, whether the guard checks it out by hand or scans its slip. */
export function visitExitLog(
  visit: VisitRow,
  unitCode: string,
  at: string,
  method: 'manual' | 'qr',
  reason: RejectionReason | null,
): LogFields {
  return {
    occurred_at: at,
    direction: 'out',
    verdict: reason ? 'rejected' : 'accepted',
    reason,
    method,
    pass_id: visit.pass_id,
    pass_kind: visit.kind,
    visit_id: visit.id,
    person_name: visit.name,
    unit_id: visit.unit_id,
    unit_code: unitCode,
    plate: visit.plate,
    purpose: visit.purpose,
  };
}

export async function unitCodeOf(store: ScopedStore, unitId: string): Promise<string> {
  return (await store.query('units').where('id', unitId).first('code'))?.code ?? '';
}

export type SlipStatus = 'queued' | 'no_printer';

/**
 * Enqueues the guest slip in the transaction that opens the visit: printed after the response (a slow or
 * switched-off printer must not hold the guard's verdict screen), retried a few times, and never lost to a restart.
 */
export async function queueVisitSlip(tx: ScopedStore, post: GatePost, visit: VisitRow): Promise<SlipStatus> {
  if (!post.gate.printer) return 'no_printer';
  await enqueueJob(
    tx.knex,
    printSlipJob,
    { visit_id: visit.id, gate_id: post.gate.id, guard_name: post.guard.name },
    { estateId: tx.estateId, key: `slip:${visit.id}` },
  );
  return 'queued';
}

export async function recordWalkIn(store: ScopedStore, post: GatePost, input: WalkInInput) {
  const now = nowIso();
  const { visit, entry, unitCode, slip, hostNotified } = await store.transaction(async (tx) => {
    const unit = await tx.live('units').where('id', input.unit_id).first('id', 'code');
    if (!unit) throw new ConflictError('UNIT_NOT_FOUND', 'Unit tujuan tidak ditemukan.', 'unit_id');
    const visit = await openVisit(tx, post, {
      kind: 'walk_in',
      pass_id: null,
      unit_id: unit.id,
      name: input.name,
      phone: input.phone ?? null,
      plate: input.plate || null,
      purpose: input.purpose ?? null,
      people: input.people,
      id_card_left: input.id_card_left,
      entered_at: now,
      expected_until: new Date(Date.parse(now) + input.expected_minutes * 60_000).toISOString(),
    });
    await notifyHost(tx, post, visit, 'walk_in');
    const hostNotified = await unitHasPortalReader(tx, unit.id);
    const slip = await queueVisitSlip(tx, post, visit);
    const entry = await appendAccessLog(tx, post, {
      occurred_at: now,
      direction: 'in',
      verdict: 'accepted',
      reason: null,
      method: 'walk_in',
      pass_id: null,
      pass_kind: 'walk_in',
      visit_id: visit.id,
      person_name: visit.name,
      unit_id: unit.id,
      unit_code: unit.code,
      plate: visit.plate,
      purpose: visit.purpose,
    });
    return { visit, entry, unitCode: unit.code as string, slip, hostNotified };
  });
  return { entry_id: entry.id, visit: visitView(visit, unitCode, now), slip, host_notified: hostNotified };
}

/**
 * A visit as the API answers it. The guest's phone (typed at the gate or copied from their pass) is only for the office
 * (`contact`): the guard post recognises guests by name, plate and unit.
 */
export function visitView(visit: VisitRow, unitCode: string, now = nowIso(), contact = false) {
  return {
    id: visit.id,
    kind: visit.kind,
    pass_id: visit.pass_id,
    unit_id: visit.unit_id,
    unit_code: unitCode,
    name: visit.name,
    ...(contact ? { phone: visit.phone } : {}),
    plate: visit.plate,
    purpose: visit.purpose,
    people: visit.people,
    id_card_left: Boolean(visit.id_card_left),
    entered_at: visit.entered_at,
    expected_until: visit.expected_until,
    exited_at: visit.exited_at,
    overstay: !visit.exited_at && visit.expected_until !== null && visit.expected_until < now,
  };
}

async function openVisits(store: ScopedStore) {
  return store
    .query('gate_visits')
    .leftJoin('units', 'units.id', 'gate_visits.unit_id')
    .whereNull('gate_visits.exited_at')
    .orderBy('gate_visits.entered_at', 'desc')
    .limit(500)
    .select('gate_visits.*', 'units.code as unit_code') as Promise<(VisitRow & { unit_code: string })[]>;
}

export async function insideNow(store: ScopedStore, contact = false) {
  const now = nowIso();
  return { items: (await openVisits(store)).map((v) => visitView(v, v.unit_code, now, contact)) };
}

export async function overstays(store: ScopedStore, contact = false) {
  const now = nowIso();
  return { items: (await openVisits(store)).map((v) => visitView(v, v.unit_code, now, contact)).filter((v) => v.overstay) };
}

export async function checkoutVisit(store: ScopedStore, post: GatePost, visitId: string) {
  const now = nowIso();
  return store.transaction(async (tx) => {
    const visit = await tx.get<VisitRow>('gate_visits', visitId, 'Kunjungan');
    if (visit.exited_at) throw new ConflictError('ALREADY_CHECKED_OUT', 'Tamu ini sudah tercatat keluar.');
    const closed = await closeVisit(tx, post, visit.id, now);
    const unitCode = await unitCodeOf(tx, visit.unit_id);
    const entry = await appendAccessLog(tx, post, visitExitLog(visit, unitCode, now, 'manual', null));
    return { entry_id: entry.id, visit: visitView(closed, unitCode, now) };
  });
}

/** Guests and service visits expected today (estate calendar) who have not come in yet. */
export async function expectedToday(store: ScopedStore, timezone: string) {
  const start = DateTime.now().setZone(timezone).startOf('day');
  const from = start.toUTC().toISO()!;
  const to = start.plus({ days: 1 }).toUTC().toISO()!;
  const rows = await store
    .live('passes')
    .leftJoin('units', 'units.id', 'passes.unit_id')
    .whereIn('passes.kind', ['guest', 'temporary'])
    .whereNull('passes.revoked_at')
    .where('passes.valid_from', '<', to)
    .where('passes.valid_until', '>', from)
    .where((q) => q.whereNull('passes.max_uses').orWhere('passes.uses', '<', store.knex.ref('passes.max_uses')))
    .orderBy('passes.valid_from')
    .limit(200)
    .select(
      'passes.id',
      'passes.kind',
      'passes.name',
      'passes.plate',
      'passes.purpose',
      'passes.people',
      'passes.valid_from',
      'passes.valid_until',
      'passes.uses',
      'passes.max_uses',
      'passes.unit_id',
      'units.code as unit_code',
    );
  return { items: rows };
}
