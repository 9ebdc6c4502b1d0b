import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { writeAuditAndOutbox, type Actor } from '../db/scoped-store.ts';
import type { SyncContext } from '../db/sync-context.ts';

export interface EstateInput {
  name: string;
  address?: string | null;
  timezone: string;
  rt?: string | null;
  rw?: string | null;
}

export function serializeEstate(row: Record<string, unknown>) {
  return {
    id: row.id as string,
    name: row.name as string,
    address: (row.address as string) ?? null,
    timezone: row.timezone as string,
    rt: (row.rt as string) ?? null,
    rw: (row.rw as string) ?? null,
    settings: JSON.parse((row.settings as string) || '{}'),
    created_at: row.created_at as string,
    updated_at: row.updated_at as string,
  };
}

export async function insertEstate(trx: Knex.Transaction, sync: SyncContext, actor: Actor, input: EstateInput) {
  const at = nowIso();
  const row = {
    id: newId(), name: input.name, address: input.address ?? null, timezone: input.timezone,
    rt: input.rt ?? null, rw: input.rw ?? null, settings: '{}', created_at: at, updated_at: at,
  };
  await trx('estates').insert(row);
  await writeAuditAndOutbox(trx, sync, actor, row.id, { action: 'estates.create', table: 'estates', rowId: row.id, after: row, op: 'insert' });
  return row;
}

export async function insertMembership(trx: Knex.Transaction, sync: SyncContext, actor: Actor, m: { estate_id: string; user_id: string; role: string; resident_id?: string | null }) {
  const at = nowIso();
  const row = { id: newId(), ...m, resident_id: m.resident_id ?? null, created_at: at, updated_at: at };
  await trx('memberships').insert(row);
  await writeAuditAndOutbox(trx, sync, actor, m.estate_id, { action: 'memberships.create', table: 'memberships', rowId: row.id, after: row, op: 'insert' });
  return row;
}
