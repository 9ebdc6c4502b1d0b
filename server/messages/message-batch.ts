import { estateToday } from '../calendar/calendar.ts';
import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { enqueueJobs } from '../jobs/job-queue.ts';
import { residentsWithPush } from '../webpush/index.ts';
import { enabledChannels } from './channel-settings.ts';
import { MESSAGE_IDENTITY, messageValues, planMessages, pushMatters, SENT_BY_JOB, type Occupant, type Preference } from './message-plan.ts';
import type { MessageRow } from './message-row.ts';
import { preferencesOf, templateFor } from './message-service.ts';
import { sendMessageJob } from './send-job.ts';
import type { TemplateKey, TemplateText, TemplateVars } from './templates.ts';

/**
 * Many causes at once (the day's reminders for thousands of units): the same rules and rows as `enqueueMessage`
 * (message-plan.ts), but the residents, their preferences and push devices, the units' codes and the templates are
 * read with one query per kind, the texts rendered in memory and the messages, their sending jobs and their audit
 * rows written with multi-row inserts. Calling `enqueueMessage` per unit cost about ten statements a unit.
 */

export interface UnitCause {
  template: TemplateKey;
  cause: { kind: string; id: string };
  unitId: string;
  vars?: TemplateVars;
}

/** Values per `in (…)` list: far under SQLite's and PostgreSQL's limits on bound values. */
const IN_LIST = 500;

function slices<T>(items: readonly T[], size = IN_LIST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Who lives in each unit today, by unit, in name order (the residency rule of `enqueueMessage`). */
async function occupantsByUnit(store: ScopedStore, unitIds: string[]): Promise<Map<string, Occupant[]>> {
  const today = estateToday(await store.timezone());
  const byUnit = new Map<string, Occupant[]>();
  for (const ids of slices(unitIds)) {
    const rows = (await store
      .live('unit_occupancies')
      .join('residents', (j) =>
        j.on('residents.id', '=', 'unit_occupancies.resident_id').andOn('residents.estate_id', '=', 'unit_occupancies.estate_id'),
      )
      .whereIn('unit_occupancies.unit_id', ids)
      .whereNull('residents.deleted_at')
      .where((q) => q.whereNull('unit_occupancies.moved_in_on').orWhere('unit_occupancies.moved_in_on', '<=', today))
      .where((q) => q.whereNull('unit_occupancies.moved_out_on').orWhere('unit_occupancies.moved_out_on', '>', today))
      .distinct('unit_occupancies.unit_id', 'residents.id as resident_id', 'residents.name', 'residents.phone', 'residents.email')
      .orderBy('residents.name')) as (Occupant & { unit_id: string })[];
    for (const { unit_id, ...occupant } of rows) {
      const list = byUnit.get(unit_id);
      if (list) list.push(occupant);
      else byUnit.set(unit_id, [occupant]);
    }
  }
  return byUnit;
}

async function unitCodes(store: ScopedStore, unitIds: string[]): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  for (const ids of slices(unitIds)) {
    for (const row of (await store.query('units').whereIn('units.id', ids).select('id', 'code')) as { id: string; code: string }[]) {
      codes.set(row.id, row.code);
    }
  }
  return codes;
}

/**
 * Queues each cause for its unit's residents inside the caller's transaction, like `enqueueMessage` for each, and
 * answers the messages written now: a cause queued before (an earlier run, another process at the same time) writes
 * nothing again. Keep a call to a few hundred units: the caller's transaction holds SQLite's write lock meanwhile.
 */
export async function enqueueMessages(store: ScopedStore, causes: readonly UnitCause[]): Promise<MessageRow[]> {
  if (!causes.length) return [];
  return store.transaction(async (tx) => {
    const unitIds = [...new Set(causes.map((c) => c.unitId))];
    const occupants = await occupantsByUnit(tx, unitIds);
    const residentIds = [...new Set([...occupants.values()].flat().map((o) => o.resident_id))];
    if (!residentIds.length) return [];
    const prefs = new Map<string, Preference>();
    for (const ids of slices(residentIds)) for (const [id, pref] of await preferencesOf(tx, ids)) prefs.set(id, pref);
    const enabled = await enabledChannels(tx);
    const withPush = new Set<string>();
    if (causes.some((c) => pushMatters(c.template, undefined, prefs.values()))) {
      for (const ids of slices(residentIds)) for (const id of await residentsWithPush(tx, ids)) withPush.add(id);
    }
    const templates = new Map<TemplateKey, TemplateText>();
    for (const key of new Set(causes.map((c) => c.template))) templates.set(key, await templateFor(tx, key));
    const codes = await unitCodes(tx, unitIds);

    const at = nowIso();
    const planned = new Map<string, Record<string, unknown>>();
    for (const cause of causes) {
      const living = occupants.get(cause.unitId);
      if (!living) continue;
      const unitPrefs = new Map<string, Preference>();
      for (const o of living) {
        const pref = prefs.get(o.resident_id);
        if (pref) unitPrefs.set(o.resident_id, pref);
      }
      const facts = {
        template: templates.get(cause.template)!,
        unitCode: codes.get(cause.unitId) ?? '',
        prefs: unitPrefs,
        enabled,
        withPush,
      };
      for (const m of planMessages(cause, living, facts)) {
        const identity = `${cause.cause.kind}\u0000${cause.cause.id}\u0000${m.occupant.resident_id}\u0000${m.channel}`;
        if (!planned.has(identity)) planned.set(identity, messageValues(m, cause, at));
      }
    }
    // One order for every writer: two processes planning the same day meet on the unique index in the same order.
    const rows = [...planned.keys()].sort().map((identity) => planned.get(identity)!);
    // Journaled as `enqueueMessage` journals each row (`insertUnlessExists`).
    const written = await tx.insertManyUnlessExists<MessageRow>('messages', rows, MESSAGE_IDENTITY, 'messages.enqueue');
    await enqueueJobs(
      tx.knex,
      sendMessageJob,
      written.filter((r) => SENT_BY_JOB.has(r.channel)).map((r) => ({ payload: { message_id: r.id }, key: `message:${r.id}:0` })),
      tx.estateId,
    );
    return written;
  });
}
