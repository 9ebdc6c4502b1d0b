import type { ScopedStore } from '../db/scoped-store.ts';
import type { RequestContext } from '../http/route.ts';
import { insideNow } from './visits-service.ts';

interface EndedShift {
  id: string;
  device_id: string;
  gate_id: string;
  guard_id: string;
  started_at: string;
  ended_at: string;
  gate_name: string;
  guard_name: string;
}

/**
 * What one guard hands to the next: what happened at this post during the shift, counted from the access log rows
 * this device wrote for that guard at that gate, and who is inside now (the whole estate: a guest who came in at
 * another gate still has to leave through one).
 */
export async function shiftHandover(store: ScopedStore, shift: EndedShift) {
  const counts = (await store
    .query('gate_access_log')
    .where({ device_id: shift.device_id, gate_id: shift.gate_id, guard_id: shift.guard_id })
    .where('occurred_at', '>=', shift.started_at)
    .where('occurred_at', '<=', shift.ended_at)
    .select(
      store.knex.raw("sum(case when verdict = 'accepted' and direction = 'in' then 1 else 0 end) as entries"),
      store.knex.raw("sum(case when verdict = 'accepted' and direction = 'out' then 1 else 0 end) as exits"),
      store.knex.raw("sum(case when method = 'walk_in' then 1 else 0 end) as walk_ins"),
      store.knex.raw("sum(case when verdict = 'rejected' then 1 else 0 end) as denials"),
    )
    .first()) as Record<string, number | string | null> | undefined;
  const n = (key: string) => Number(counts?.[key] ?? 0);
  return {
    shift: {
      id: shift.id,
      started_at: shift.started_at,
      ended_at: shift.ended_at,
      gate: { id: shift.gate_id, name: shift.gate_name },
      guard: { id: shift.guard_id, name: shift.guard_name },
    },
    entries: n('entries'),
    exits: n('exits'),
    walk_ins: n('walk_ins'),
    denials: n('denials'),
    inside: (await insideNow(store)).items,
  };
}

/** The newest shift this kiosk ended, for the guard who takes over the post next. */
export async function lastEndedShiftOf(store: ScopedStore, deviceId: string): Promise<EndedShift | undefined> {
  return (await store
    .query('gate_shifts')
    .join('gates', 'gates.id', 'gate_shifts.gate_id')
    .join('gate_guards', 'gate_guards.id', 'gate_shifts.guard_id')
    .where('gate_shifts.device_id', deviceId)
    .whereNotNull('gate_shifts.ended_at')
    .orderBy('gate_shifts.ended_at', 'desc')
    .first(
      'gate_shifts.id',
      'gate_shifts.device_id',
      'gate_shifts.gate_id',
      'gate_shifts.guard_id',
      'gate_shifts.started_at',
      'gate_shifts.ended_at',
      'gates.name as gate_name',
      'gate_guards.name as guard_name',
    )) as EndedShift | undefined;
}

export async function lastHandover(ctx: RequestContext, deviceId: string) {
  const shift = await lastEndedShiftOf(ctx.store!, deviceId);
  return { handover: shift ? await shiftHandover(ctx.store!, shift) : null };
}
