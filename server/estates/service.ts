import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import type { PlatformStore } from '../db/platform-store.ts';

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

export async function insertEstate(store: PlatformStore, input: EstateInput, id: string = newId()) {
  const at = nowIso();
  return store.insert<Record<string, unknown> & { id: string }>(
    'estates',
    {
      id,
      name: input.name,
      address: input.address ?? null,
      timezone: input.timezone,
      rt: input.rt ?? null,
      rw: input.rw ?? null,
      settings: '{}',
      created_at: at,
      updated_at: at,
    },
    { estateId: id },
  );
}

export async function insertMembership(
  store: PlatformStore,
  m: { estate_id: string; user_id: string; role: string; resident_id?: string | null },
) {
  const at = nowIso();
  return store.insert(
    'memberships',
    { ...m, resident_id: m.resident_id ?? null, created_at: at, updated_at: at },
    { estateId: m.estate_id },
  );
}
