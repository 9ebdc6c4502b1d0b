import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import { announcementPlainText, cleanAnnouncementHtml } from './announcement-html.ts';
import { noStatusCounts } from '../messages/index.ts';
import { outboxCounts } from './channel-messages.ts';
import type { Channel, STATUSES } from './schemas.ts';

export type { Channel } from './schemas.ts';
type Status = (typeof STATUSES)[number];

export interface AnnouncementRow {
  id: string;
  title: string;
  body_html: string;
  target_blocks: string | null;
  target_unit_ids: string | null;
  owners_only: boolean | number;
  pinned: boolean | number;
  channels: string;
  status: Status;
  publish_at: string | null;
  published_at: string | null;
  created_at: string;
}

export const list = (json: string | null): string[] => (json ? (JSON.parse(json) as string[]) : []);

export function announcementView(row: AnnouncementRow, attachments: { id: string; filename: string; mime: string; size: number }[] = []) {
  return {
    id: row.id,
    title: row.title,
    body_html: cleanAnnouncementHtml(row.body_html),
    target_blocks: list(row.target_blocks),
    target_unit_ids: list(row.target_unit_ids),
    owners_only: Boolean(row.owners_only),
    pinned: Boolean(row.pinned),
    channels: list(row.channels) as Channel[],
    status: row.status,
    publish_at: row.publish_at,
    published_at: row.published_at,
    created_at: row.created_at,
    attachments: attachments.map((a) => ({ id: a.id, filename: a.filename, mime: a.mime, size: Number(a.size) })),
  };
}

export async function attachmentsOf(store: ScopedStore, announcementId: string) {
  return (await store
    .live('announcement_attachments')
    .where('announcement_id', announcementId)
    .orderBy('created_at')
    .select('id', 'filename', 'mime', 'size')) as { id: string; filename: string; mime: string; size: number }[];
}

export async function getAnnouncement(store: ScopedStore, id: string): Promise<AnnouncementRow> {
  const row = await store.find<AnnouncementRow>('announcements', id);
  if (!row) throw new NotFoundError('Pengumuman');
  return row;
}

export interface AnnouncementInput {
  title: string;
  body_html: string;
  target_blocks: string[];
  target_unit_ids: string[];
  owners_only: boolean;
  pinned: boolean;
  channels: Channel[];
}

/** A draft: files may be attached until it is published or scheduled. */
export async function createAnnouncement(store: ScopedStore, input: AnnouncementInput) {
  const body = cleanAnnouncementHtml(input.body_html);
  if (!announcementPlainText(body)) throw new BadRequestError('ANNOUNCEMENT_EMPTY', 'Isi pengumuman wajib diisi.', 'body_html');
  const blocks = [...new Set(input.target_blocks)];
  const unitIds = [...new Set(input.target_unit_ids)];
  if (unitIds.length) {
    const found = await store.live('units').whereIn('id', unitIds).select('id');
    // Another estate's unit, or one that does not exist, is not confirmed either way.
    if (found.length !== unitIds.length) throw new NotFoundError('Unit');
  }
  if (blocks.length) {
    const found = new Set(
      ((await store.live('units').whereIn('block', blocks).distinct('block')) as { block: string }[]).map((r) => r.block),
    );
    const unknown = blocks.find((b) => !found.has(b));
    if (unknown) throw new BadRequestError('UNKNOWN_BLOCK', `Blok ${unknown} tidak punya unit.`, 'target_blocks');
  }
  const channels: Channel[] = ['portal', ...new Set(input.channels.filter((c) => c !== 'portal'))];
  const row = await store.insert<AnnouncementRow>('announcements', {
    title: input.title,
    body_html: body,
    target_blocks: blocks.length ? JSON.stringify(blocks) : null,
    target_unit_ids: unitIds.length ? JSON.stringify(unitIds) : null,
    owners_only: input.owners_only,
    pinned: input.pinned,
    channels: JSON.stringify(channels),
    status: 'draft',
    publish_at: null,
    published_at: null,
    created_by: store.actor.userId ?? null,
  });
  return announcementView(row);
}

export async function setPinned(store: ScopedStore, id: string, pinned: boolean) {
  await getAnnouncement(store, id);
  const row = await store.update<AnnouncementRow>('announcements', id, { pinned }, 'announcements.pin');
  return announcementView(row, await attachmentsOf(store, id));
}

export async function listForOffice(store: ScopedStore, opts: { limit: number; offset: number; status?: Status }) {
  const q = store.live('announcements');
  if (opts.status) q.where('status', opts.status);
  const [{ n }] = await q.clone().count({ n: '*' });
  const rows = (await q
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(opts.limit)
    .offset(opts.offset)) as AnnouncementRow[];
  const counts = rows.length
    ? ((await store
        .query('announcement_recipients')
        .whereIn(
          'announcement_id',
          rows.map((r) => r.id),
        )
        .groupBy('announcement_id')
        .select('announcement_id')
        .count({ recipients: '*' })
        .count({ read: 'read_at' })) as { announcement_id: string; recipients: number | string; read: number | string }[])
    : [];
  const byId = new Map(counts.map((c) => [c.announcement_id, c]));
  return {
    total: Number(n),
    items: rows.map((r) => {
      const { body_html: _b, attachments: _a, ...view } = announcementView(r);
      return { ...view, recipients: Number(byId.get(r.id)?.recipients ?? 0), read: Number(byId.get(r.id)?.read ?? 0) };
    }),
  };
}

/** Who was reached: every unit the announcement went to, when someone there first read it, and how many did. */
export async function deliveryReport(store: ScopedStore, id: string) {
  const row = await getAnnouncement(store, id);
  const units = (await store
    .query('announcement_recipients')
    .join('units', 'units.id', 'announcement_recipients.unit_id')
    .where('announcement_recipients.announcement_id', id)
    .orderBy('units.sort_key')
    .select('units.id as unit_id', 'units.code', 'units.block', 'announcement_recipients.read_at')) as {
    unit_id: string;
    code: string;
    block: string | null;
    read_at: string | null;
  }[];
  const readers = (await store
    .query('announcement_reads')
    .where('announcement_id', id)
    .groupBy('unit_id')
    .select('unit_id')
    .count({ n: '*' })) as { unit_id: string; n: number | string }[];
  const readersOf = new Map(readers.map((r) => [r.unit_id, Number(r.n)]));
  const read = units.filter((u) => u.read_at).length;
  const outbox = await outboxCounts(store, id);
  return {
    id,
    status: row.status,
    recipients: units.length,
    // The portal's posts are counted like messages: an unread one is delivered, a read one read (not both).
    channels: [
      ...(list(row.channels) as Channel[]).map((channel) =>
        channel === 'portal'
          ? { channel, ...noStatusCounts(), total: units.length, delivered: units.length - read, read }
          : { channel, ...outbox[channel] },
      ),
      ...(outbox.push.total ? [{ channel: 'push' as const, ...outbox.push }] : []),
    ],
    units: units.map((u) => ({ ...u, readers: readersOf.get(u.unit_id) ?? 0 })),
    not_reached: units.filter((u) => !u.read_at).map((u) => ({ unit_id: u.unit_id, code: u.code })),
  };
}
