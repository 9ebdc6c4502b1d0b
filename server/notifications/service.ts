import type { ScopedStore } from '../db/scoped-store.ts';
import { nowIso } from '../db/clock.ts';
import { queueNoticePushes } from '../messages/index.ts';
import type { NOTIFICATION_KINDS } from './schemas.ts';

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NewNotification {
  unitId: string;
  /** Only this resident of the unit sees it; null: everyone who lives in the unit. */
  residentId?: string | null;
  kind: NotificationKind;
  title: string;
  body?: string | null;
  /** A path inside the portal, never an outside address. */
  link?: string | null;
  source?: { table: string; id: string };
}

/**
 * Puts notices in the bells of their units and tells the units' open portals. Called inside the transaction of
 * the write that causes them, so a notice exists exactly when its cause does.
 */
export async function notifyUnits(tx: ScopedStore, notices: NewNotification[]): Promise<void> {
  if (!notices.length) return;
  await tx.insertMany(
    'notifications',
    notices.map((n) => ({
      unit_id: n.unitId,
      resident_id: n.residentId ?? null,
      kind: n.kind,
      title: n.title.slice(0, 200),
      body: n.body ?? null,
      link: n.link ?? null,
      source_table: n.source?.table ?? null,
      source_id: n.source?.id ?? null,
      read_at: null,
    })),
  );
  for (const unitId of new Set(notices.map((n) => n.unitId))) await tx.announce('notifications', unitId);
  await queueNoticePushes(tx, notices);
}

/** What a resident's bell holds: notices of the units they live in, for the whole unit or for them alone. */
export function visibleTo(store: ScopedStore, residentId: string, unitIds: string[]) {
  return store
    .query('notifications')
    .whereIn('unit_id', unitIds)
    .whereNull('deleted_at')
    .where((q) => q.whereNull('resident_id').orWhere('resident_id', residentId));
}

export async function unreadCount(store: ScopedStore, residentId: string, unitIds: string[]): Promise<number> {
  if (!unitIds.length) return 0;
  const [{ n }] = await visibleTo(store, residentId, unitIds).whereNull('read_at').count({ n: '*' });
  return Number(n);
}

export async function listNotifications(
  store: ScopedStore,
  residentId: string,
  unitIds: string[],
  opts: { limit: number; offset: number; unread?: boolean },
) {
  if (!unitIds.length) return { items: [], unread: 0 };
  const q = visibleTo(store, residentId, unitIds);
  if (opts.unread) q.whereNull('read_at');
  const items = await q
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(opts.limit)
    .offset(opts.offset)
    .select('id', 'unit_id', 'kind', 'title', 'body', 'link', 'read_at', 'created_at');
  return { items, unread: await unreadCount(store, residentId, unitIds) };
}

/**
 * Marks notices read, each once. A gate arrival keeps its own row for the guests page (gate_notifications), which
 * is marked with it so the two never disagree about whether the host saw it.
 */
async function markRows(tx: ScopedStore, rows: { id: string; source_table: string | null; source_id: string | null }[]) {
  if (!rows.length) return 0;
  const at = nowIso();
  const ids = rows.map((r) => r.id);
  const changed = await tx.updateWhere(
    'notifications',
    (q) => q.whereIn('id', ids).whereNull('read_at'),
    { read_at: at, updated_at: at },
    'notifications.read',
  );
  const gateIds = rows.filter((r) => r.source_table === 'gate_notifications' && r.source_id).map((r) => r.source_id as string);
  if (gateIds.length) {
    await tx.updateWhere(
      'gate_notifications',
      (q) => q.whereIn('id', gateIds).whereNull('read_at'),
      { read_at: at, updated_at: at },
      'gate_notifications.read',
    );
  }
  for (const unitId of new Set(changed.map((r) => r.unit_id as string))) await tx.announce('notifications', unitId);
  return changed.length;
}

export async function markRead(store: ScopedStore, residentId: string, unitIds: string[], ids: string[]): Promise<number> {
  if (!unitIds.length || !ids.length) return 0;
  return store.transaction(async (tx) => {
    const rows = await visibleTo(tx, residentId, unitIds).whereIn('id', ids).whereNull('read_at').select('id', 'source_table', 'source_id');
    return markRows(tx, rows);
  });
}

export async function markAllRead(store: ScopedStore, residentId: string, unitIds: string[]): Promise<number> {
  if (!unitIds.length) return 0;
  return store.transaction(async (tx) => {
    const rows = await visibleTo(tx, residentId, unitIds).whereNull('read_at').select('id', 'source_table', 'source_id');
    return markRows(tx, rows);
  });
}

/** Marks read whatever notices `source` raised for these units (an announcement opened, a gate arrival seen). */
export async function markSourceRead(store: ScopedStore, residentId: string, unitIds: string[], source: { table: string; id: string }) {
  if (!unitIds.length) return 0;
  return store.transaction(async (tx) => {
    const rows = await visibleTo(tx, residentId, unitIds)
      .where({ source_table: source.table, source_id: source.id })
      .whereNull('read_at')
      .select('id', 'source_table', 'source_id');
    return markRows(tx, rows);
  });
}
