import { z } from 'zod';
import type { ScopedStore } from '../db/scoped-store.ts';
import { BadRequestError, ConflictError } from '../http/errors.ts';
import { defineJob } from '../jobs/define-job.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { notifyUnits, type NewNotification } from '../notifications/index.ts';
import { announcementPlainText } from './announcement-html.ts';
import { announcementView, attachmentsOf, getAnnouncement, list, type AnnouncementRow, type Channel } from './announcement-service.ts';
import { audienceUnits, ownersOf } from './audience.ts';
import { queueChannelMessages } from './channel-messages.ts';

/** Publishes a scheduled announcement at its time; it survives restarts like every job. */
export const publishAnnouncementJob = defineJob({
  name: 'announcements.publish',
  schema: z.object({ announcement_id: z.string(), publish_at: z.string() }),
  maxAttempts: 5,
  run: async (ctx, payload) => publishScheduled(ctx.store(), payload.announcement_id, payload.publish_at, ctx.now),
});

/**
 * Publishes now, or schedules a durable job for `publishAt` (an instant; the office picks it in the estate's time
 * zone). A scheduled announcement may be moved or published at once by asking again.
 */
export async function publishAnnouncement(store: ScopedStore, id: string, publishAt: string | null, now = new Date()) {
  return store.transaction(async (tx) => {
    const row = await getAnnouncement(tx, id);
    if (row.status === 'published') throw new ConflictError('ALREADY_PUBLISHED', 'Pengumuman ini sudah terbit.');
    if (publishAt && new Date(publishAt).getTime() > now.getTime()) {
      const at = new Date(publishAt).toISOString();
      await tx.update('announcements', id, { status: 'scheduled', publish_at: at }, 'announcements.schedule');
      await enqueueJob(
        tx.knex,
        publishAnnouncementJob,
        { announcement_id: id, publish_at: at },
        {
          estateId: tx.estateId,
          key: `announcement:${id}:${at}`,
          runAt: new Date(at),
        },
      );
    } else {
      if (publishAt) throw new BadRequestError('PUBLISH_AT_PAST', 'Waktu terbit sudah lewat.', 'publish_at');
      await publishInTransaction(tx, row, now);
    }
    return announcementView(await getAnnouncement(tx, id), await attachmentsOf(tx, id));
  });
}

/** The job's side: publishes only what is still scheduled for that time (a moved or published one is left alone). */
export async function publishScheduled(store: ScopedStore, id: string, publishAt: string, now: Date) {
  await store.transaction(async (tx) => {
    const row = await tx.find<AnnouncementRow>('announcements', id);
    if (!row || row.status !== 'scheduled' || row.publish_at !== publishAt) return;
    await publishInTransaction(tx, row, now);
  });
}

async function publishInTransaction(tx: ScopedStore, row: AnnouncementRow, now: Date) {
  const units = await audienceUnits(tx, {
    blocks: list(row.target_blocks),
    unitIds: list(row.target_unit_ids),
    ownersOnly: Boolean(row.owners_only),
  });
  if (!units.length) throw new BadRequestError('AUDIENCE_EMPTY', 'Tidak ada unit yang dituju pengumuman ini.', 'target_blocks');
  const at = now.toISOString();
  await tx.update('announcements', row.id, { status: 'published', published_at: at }, 'announcements.publish');
  await tx.insertMany(
    'announcement_recipients',
    units.map((u) => ({ announcement_id: row.id, unit_id: u.id, read_at: null })),
  );
  const preview = announcementPlainText(row.body_html).slice(0, 280);
  const notice = (unitId: string, residentId: string | null): NewNotification => ({
    unitId,
    residentId,
    kind: 'announcement',
    title: row.title,
    body: preview,
    link: `/portal/announcements/${row.id}`,
    source: { table: 'announcements', id: row.id },
  });
  // Owners only: a tenant of the unit must not find even the title in their bell.
  const owners = row.owners_only
    ? await ownersOf(
        tx,
        units.map((u) => u.id),
      )
    : null;
  await notifyUnits(
    tx,
    units.flatMap((u) => (owners ? (owners.get(u.id) ?? []).map((r) => notice(u.id, r)) : [notice(u.id, null)])),
  );
  const channels = list(row.channels).filter((c) => c !== 'portal') as Channel[];
  if (channels.length)
    await queueChannelMessages(tx, { id: row.id, title: row.title, text: announcementPlainText(row.body_html) }, units, channels, owners);
}
