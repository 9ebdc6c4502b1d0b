import { DateTime } from 'luxon';
import type { ScopedStore } from '../db/scoped-store.ts';
import type { AccessLogQuery } from './schemas.ts';
import type { GatePost } from './gate-post.ts';

export interface AccessLogEntry {
  id: string;
  occurred_at: string;
  direction: 'in' | 'out';
  verdict: 'accepted' | 'rejected';
  reason: string | null;
  method: string;
  gate_id: string | null;
  gate_name: string | null;
  guard_id: string | null;
  guard_name: string | null;
  device_id: string | null;
  pass_id: string | null;
  pass_kind: string | null;
  visit_id: string | null;
  person_name: string | null;
  unit_id: string | null;
  unit_code: string | null;
  plate: string | null;
  purpose: string | null;
}

export type LogFields = Omit<AccessLogEntry, 'id' | 'gate_id' | 'gate_name' | 'guard_id' | 'guard_name' | 'device_id'>;

/** Appends one access-log row naming the gate and guard of `post`; inside the caller's transaction. */
export async function appendAccessLog(store: ScopedStore, post: GatePost, fields: LogFields): Promise<AccessLogEntry> {
  return store.appendOnly<AccessLogEntry & Record<string, unknown>>(
    'gate_access_log',
    {
      ...fields,
      gate_id: post.gate.id,
      gate_name: post.gate.name,
      guard_id: post.guard.id,
      guard_name: post.guard.name,
      device_id: post.deviceId,
      created_at: fields.occurred_at,
    },
    `gate_access_log.${fields.verdict}`,
  );
}

/** A date (YYYY-MM-DD, the estate's calendar) or a full timestamp, as the UTC bound the log is stored in. */
export function boundToUtc(value: string, timezone: string, end: boolean): string {
  if (value.length > 10) return new Date(value).toISOString();
  const day = DateTime.fromISO(value, { zone: timezone });
  return (end ? day.plus({ days: 1 }) : day).toUTC().toISO()!;
}

export function accessLogQueryBuilder(store: ScopedStore, query: AccessLogQuery, timezone: string, onlyUnitId?: string) {
  const q = store.query('gate_access_log');
  if (query.from) q.where('occurred_at', '>=', boundToUtc(query.from, timezone, false));
  if (query.to) q.where('occurred_at', '<', boundToUtc(query.to, timezone, true));
  const unitId = onlyUnitId ?? query.unit_id;
  if (unitId) q.where('unit_id', unitId);
  if (query.plate) q.where('plate', query.plate.toUpperCase().replace(/\s+/g, ' '));
  if (query.verdict) q.where('verdict', query.verdict);
  if (query.direction) q.where('direction', query.direction);
  if (query.gate_id) q.where('gate_id', query.gate_id);
  return q;
}

const COLUMNS = [
  'id',
  'occurred_at',
  'direction',
  'verdict',
  'reason',
  'method',
  'gate_id',
  'gate_name',
  'guard_id',
  'guard_name',
  'device_id',
  'pass_id',
  'pass_kind',
  'visit_id',
  'person_name',
  'unit_id',
  'unit_code',
  'plate',
  'purpose',
];

export async function listAccessLog(store: ScopedStore, query: AccessLogQuery, timezone: string, onlyUnitId?: string) {
  const base = accessLogQueryBuilder(store, query, timezone, onlyUnitId);
  const [{ n }] = await base.clone().count({ n: '*' });
  const items = (await base
    .select(COLUMNS)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit)
    .offset(query.offset)) as AccessLogEntry[];
  return { items, total: Number(n), limit: query.limit, offset: query.offset };
}

/** Every matching row for an export, newest first, capped so one request cannot build an unbounded file. */
export async function accessLogForExport(store: ScopedStore, query: AccessLogQuery, timezone: string, cap: number) {
  return (await accessLogQueryBuilder(store, query, timezone)
    .select(COLUMNS)
    .orderBy('occurred_at', 'desc')
    .limit(cap)) as AccessLogEntry[];
}
