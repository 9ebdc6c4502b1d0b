import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { NotFoundError } from '../http/errors.ts';
import { markSourceRead } from '../notifications/index.ts';
import type { Residence } from '../residency/index.ts';
import { cleanAnnouncementHtml } from './announcement-html.ts';
import { attachmentsOf, type AnnouncementRow } from './announcement-service.ts';

export interface Reader {
  residentId: string;
  residences: Residence[];
}

/**
 * Announcements a resident may read: published to a unit they live in today, and, when meant for owners only, a
 * unit they own. Anything else, another estate's included, answers as if it did not exist.
 */
function visibleTo(store: ScopedStore, reader: Reader) {
  const unitIds = reader.residences.map((r) => r.unitId);
  const ownedIds = reader.residences.filter((r) => r.relation === 'owner').map((r) => r.unitId);
  return store
    .live('announcements')
    .where('announcements.status', 'published')
    .whereIn(
      'announcements.id',
      store
        .query('announcement_recipients')
        .whereIn('announcement_recipients.unit_id', unitIds)
        .select('announcement_recipients.announcement_id'),
    )
    .where((q) =>
      q
        .where('announcements.owners_only', false)
        .orWhereIn(
          'announcements.id',
          store
            .query('announcement_recipients')
            .whereIn('announcement_recipients.unit_id', ownedIds)
            .select('announcement_recipients.announcement_id'),
        ),
    );
}

async function readIds(store: ScopedStore, residentId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = (await store
    .query('announcement_reads')
    .where('resident_id', residentId)
    .whereIn('announcement_id', ids)
    .select('announcement_id')) as { announcement_id: string }[];
  return new Set(rows.map((r) => r.announcement_id));
}

export async function portalAnnouncements(store: ScopedStore, reader: Reader, opts: { limit: number; offset: number }) {
  if (!reader.residences.length) return { items: [], unread: 0 };
  const rows = (await visibleTo(store, reader)
    .orderBy([
      { column: 'announcements.pinned', order: 'desc' },
      { column: 'announcements.published_at', order: 'desc' },
      { column: 'announcements.id', order: 'desc' },
    ])
    .limit(opts.limit)
    .offset(opts.offset)
    .select('announcements.id', 'announcements.title', 'announcements.pinned', 'announcements.published_at')) as Pick<
    AnnouncementRow,
    'id' | 'title' | 'pinned' | 'published_at'
  >[];
  const allIds = ((await visibleTo(store, reader).select('announcements.id')) as { id: string }[]).map((r) => r.id);
  const read = await readIds(store, reader.residentId, allIds);
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      pinned: Boolean(r.pinned),
      published_at: r.published_at as string,
      read: read.has(r.id),
    })),
    unread: allIds.filter((id) => !read.has(id)).length,
  };
}

export async function visibleAnnouncement(store: ScopedStore, reader: Reader, id: string): Promise<AnnouncementRow> {
  if (!reader.residences.length || typeof id !== 'string') throw new NotFoundError('Pengumuman');
  const row = (await visibleTo(store, reader).where('announcements.id', id).first()) as AnnouncementRow | undefined;
  if (!row) throw new NotFoundError('Pengumuman');
  return row;
}

export async function portalAnnouncement(store: ScopedStore, reader: Reader, id: string) {
  const row = await visibleAnnouncement(store, reader, id);
  const read = await readIds(store, reader.residentId, [id]);
  return {
    id: row.id,
    title: row.title,
    pinned: Boolean(row.pinned),
    published_at: row.published_at as string,
    read: read.has(id),
    body_html: cleanAnnouncementHtml(row.body_html),
    attachments: (await attachmentsOf(store, id)).map((a) => ({ ...a, size: Number(a.size) })),
  };
}

/**
 * The read receipt: once per resident, and the first reader of each of their units marks the unit reached. The
 * notice in their bell is marked read with it.
 */
export async function markAnnouncementRead(store: ScopedStore, reader: Reader, id: string) {
  await visibleAnnouncement(store, reader, id);
  const unitIds = reader.residences.map((r) => r.unitId);
  await store.transaction(async (tx) => {
    const recipients = (await tx
      .query('announcement_recipients')
      .where('announcement_id', id)
      .whereIn('unit_id', unitIds)
      .select('id', 'unit_id', 'read_at')) as { id: string; unit_id: string; read_at: string | null }[];
    const at = nowIso();
    await tx.insertUnlessExists(
      'announcement_reads',
      { announcement_id: id, unit_id: recipients[0]?.unit_id ?? unitIds[0], resident_id: reader.residentId, read_at: at, updated_at: at },
      ['estate_id', 'announcement_id', 'resident_id'],
      'announcements.read',
    );
    const unread = recipients.filter((r) => !r.read_at).map((r) => r.id);
    if (unread.length) {
      await tx.updateWhere(
        'announcement_recipients',
        (q) => q.whereIn('id', unread).whereNull('read_at'),
        { read_at: at, updated_at: at },
        'announcements.reached',
      );
    }
    await markSourceRead(tx, reader.residentId, unitIds, { table: 'announcements', id });
  });
  return { id, read: true as const };
}
