import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { platformKnex } from '../db/platform-store.ts';
import { sqliteTransaction } from '../db/sqlite-direct.ts';
import type { JobDef } from './define-job.ts';
import { enqueueJob, type JobRow } from './job-queue.ts';
import { holdJobHere } from './wakeup.ts';

export interface IncomingWebhook {
  provider: string;
  /** The provider's own id for the event; a redelivery carries the same one. */
  eventId: string;
  estateId?: string | null;
  headers: Record<string, string>;
  body: string;
}

/**
 * Stores a gateway's webhook exactly as received and enqueues its processing, in one transaction, so it can be
 * acknowledged at once. A redelivered event (same provider and event id) is recognised and not stored or processed
 * again.
 */
export async function receiveWebhook(
  knex: Knex,
  event: IncomingWebhook,
  processJob: JobDef<{ webhook_event_id: string }>,
): Promise<{ id: string; duplicate: boolean }> {
  // The event is processed in this process as soon as it is stored, when its runner has a slot free; otherwise a
  // runner (here or elsewhere) claims it from the queue.
  const hold = holdJobHere(knex, processJob.name);
  // The gateway's event is stored before anything tells which estate it is for (and a redelivery must be found
  // whichever estate it named): the platform scope of PostgreSQL's row-level security.
  knex = platformKnex(knex);
  const run =
    sqliteTransaction(knex) ??
    ((body: (trx: Knex.Transaction) => Promise<{ id: string; duplicate: boolean; held?: JobRow }>) => knex.transaction(body));
  let stored: { id: string; duplicate: boolean; held?: JobRow };
  try {
    stored = await run(async (trx) => {
      const id = newId();
      const inserted = await trx('webhook_events')
        .insert({
          id,
          provider: event.provider,
          event_id: event.eventId,
          estate_id: event.estateId ?? null,
          headers: JSON.stringify(event.headers),
          body: event.body,
          received_at: nowIso(),
          status: 'received',
        })
        .onConflict(['provider', 'event_id'])
        .ignore()
        .returning('id');
      if (!inserted.length) {
        const existing = await trx('webhook_events').where({ provider: event.provider, event_id: event.eventId }).first('id');
        return { id: existing.id as string, duplicate: true };
      }
      const job = await enqueueJob(
        trx,
        processJob,
        { webhook_event_id: id },
        { estateId: event.estateId ?? null, key: `${event.provider}:${event.eventId}`, hold },
      );
      return { id, duplicate: false, held: job.held };
    });
  } catch (err) {
    hold?.release();
    throw err;
  }
  if (stored.held) hold!.start(stored.held);
  else hold?.release();
  return { id: stored.id, duplicate: stored.duplicate };
}

/** Called by the processing job inside its transaction: the event is settled together with what it caused. */
export async function markWebhookProcessed(trx: Knex.Transaction, id: string): Promise<void> {
  await trx('webhook_events').where({ id }).update({ status: 'processed', processed_at: nowIso(), error: null });
}
