import type { Knex } from 'knex';
import { z } from 'zod';
import { addDaysToDate, estateToday, localDateOfInstant, zoneOffsetMs } from '../calendar/calendar.ts';
import { platformKnex } from '../db/platform-store.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { defineJob, defineSchedule } from '../jobs/define-job.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { enqueueMessages } from './message-batch.ts';
import { dateText, enqueueMessage, messageLinks, periodText, rupiahText, type MessageChannel } from './message-service.ts';
import type { TemplateKey } from './templates.ts';

/**
 * Payment reminders. Each day in the estate's zone a job looks at the invoices still owed and queues H-3 and H-1
 * before the due date and H+1 after it, and on the first of the month a digest of everything overdue per unit. A
 * reminder names its invoice as its cause, so planning the same day twice queues nothing new, and the sending job
 * checks again that the invoice is still owed. The office can also send a batch by hand, with a preview.
 */

interface OwedInvoice {
  id: string;
  unit_id: string;
  period: string;
  due_date: string;
  outstanding: number;
}

/** Planned from this local hour on, so messages are not queued in the night the day starts. */
const PLAN_FROM_LOCAL_HOUR = 7;

async function owedInvoices(store: ScopedStore, where: (q: Knex.QueryBuilder) => void): Promise<OwedInvoice[]> {
  // Lazy: the ledger enqueues messages, so a static import back would make the two load each other.
  const { invoiceBalancesQuery, toInvoiceBalance } = await import('../ledger/index.ts');
  const rows: Record<string, unknown>[] = await invoiceBalancesQuery(store, where);
  return rows
    .map((r) => toInvoiceBalance(r))
    .filter((i) => i.outstanding > 0 && i.status !== 'void')
    .map((i) => ({ id: i.id, unit_id: i.unit_id, period: i.period, due_date: i.due_date, outstanding: i.outstanding }));
}

/** Units per write transaction when planning: SQLite's write lock is let go between two (payments, the gate). */
export const PLAN_UNITS_PER_TRANSACTION = 500;

/** Invoice reminders owed on `today`: the template for each due date it looks at. */
function reminderDays(today: string): Record<string, TemplateKey> {
  return {
    [addDaysToDate(today, 3)]: 'reminder_h3',
    [addDaysToDate(today, 1)]: 'reminder_h1',
    [addDaysToDate(today, -1)]: 'reminder_h_plus1',
  };
}

/**
 * The units with an invoice `where` selects, in a fixed order, cut into groups of `size`: a plain read of the
 * invoices; what each still owes is worked out per group, inside the group's transaction.
 */
async function unitGroups(store: ScopedStore, where: (q: Knex.QueryBuilder) => void, size: number): Promise<string[][]> {
  const q = store.knex('invoices as i').where('i.estate_id', store.estateId);
  where(q);
  const units = ((await q.distinct('i.unit_id')) as { unit_id: string }[]).map((r) => r.unit_id).sort();
  const groups: string[][] = [];
  for (let i = 0; i < units.length; i += size) groups.push(units.slice(i, i + size));
  return groups;
}

/**
 * Queues the day's reminders for the estate; returns how many messages were written. The invoices due on the days
 * looked at are read once to find their units, then each group of units is planned in a transaction of its own (`enqueueMessages`),
 * reading again inside it what its invoices still owe: a payment made since the first read has withdrawn its
 * reminders and must not see them queued after all. Each group commits on its own, and a cause is queued at most
 * once (messages are unique per cause, resident and channel), so a run cut off midway, run again, or running at the
 * same time in another process writes each reminder exactly once.
 */
export async function queueDailyReminders(
  store: ScopedStore,
  today: string,
  unitsPerTransaction = PLAN_UNITS_PER_TRANSACTION,
): Promise<number> {
  const days = reminderDays(today);
  const dueDays = Object.keys(days);
  let written = 0;
  for (const units of await unitGroups(store, (q) => q.whereIn('i.due_date', dueDays), unitsPerTransaction)) {
    written += await store.transaction(async (tx) => {
      const owed = await owedInvoices(tx, (q) => q.whereIn('i.due_date', dueDays).whereIn('i.unit_id', units));
      const causes = owed
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((invoice) => {
          const template = days[invoice.due_date];
          return {
            template,
            cause: { kind: template, id: invoice.id },
            unitId: invoice.unit_id,
            vars: {
              jumlah: rupiahText(invoice.outstanding),
              periode: periodText(invoice.period),
              jatuh_tempo: dateText(invoice.due_date),
              link_bayar: messageLinks.bills(),
            },
          };
        });
      return (await enqueueMessages(tx, causes)).length;
    });
  }
  if (today.endsWith('-01')) written += await queueOverdueDigests(store, today, unitsPerTransaction);
  return written;
}

async function queueOverdueDigests(store: ScopedStore, today: string, unitsPerTransaction: number): Promise<number> {
  const overdue = (q: Knex.QueryBuilder) => q.where('i.due_date', '<', today);
  let written = 0;
  for (const units of await unitGroups(store, overdue, unitsPerTransaction)) {
    written += await store.transaction(async (tx) => {
      const byUnit = new Map<string, OwedInvoice[]>();
      for (const invoice of await owedInvoices(tx, (q) => overdue(q).whereIn('i.unit_id', units))) {
        byUnit.set(invoice.unit_id, [...(byUnit.get(invoice.unit_id) ?? []), invoice]);
      }
      const causes = [...byUnit].map(([unitId, invoices]) => ({
        template: 'overdue_digest' as const,
        cause: { kind: 'overdue_digest', id: `${unitId}:${today.slice(0, 7)}` },
        unitId,
        vars: {
          jumlah: rupiahText(invoices.reduce((sum, i) => sum + i.outstanding, 0)),
          periode: [...new Set(invoices.map((i) => periodText(i.period)))].join(', '),
          link_bayar: messageLinks.bills(),
        },
      }));
      return (await enqueueMessages(tx, causes)).length;
    });
  }
  return written;
}

export interface ReminderBatchItem {
  unit_id: string;
  unit_code: string;
  resident_name: string;
  channel: MessageChannel;
  amount: number;
  text: string;
}

/**
 * A reminder by hand for the chosen units: what each still owes in one message. With `preview` nothing is written;
 * otherwise one batch per unit and day (sending it twice the same day queues nothing new).
 */
export async function reminderBatch(
  store: ScopedStore,
  unitIds: string[],
  preview: boolean,
  baseUrl: string,
): Promise<{ items: ReminderBatchItem[]; queued: number }> {
  const { withBaseUrl } = await import('./templates.ts');
  const today = estateToday(await store.timezone());
  return store.transaction(async (tx) => {
    const units = (await tx
      .live('units')
      .whereIn('units.id', [...new Set(unitIds)])
      .select('id', 'code')) as { id: string; code: string }[];
    const owed = await owedInvoices(tx, (q) =>
      q.whereIn(
        'i.unit_id',
        units.map((u) => u.id),
      ),
    );
    const items: ReminderBatchItem[] = [];
    let queued = 0;
    for (const unit of units) {
      const invoices = owed.filter((i) => i.unit_id === unit.id);
      if (!invoices.length) continue;
      const amount = invoices.reduce((sum, i) => sum + i.outstanding, 0);
      const rows = await enqueueMessage(tx, {
        template: 'overdue_digest',
        cause: { kind: 'manual_reminder', id: `${unit.id}:${today}` },
        unitId: unit.id,
        preview,
        vars: {
          jumlah: rupiahText(amount),
          periode: [...new Set(invoices.map((i) => periodText(i.period)))].join(', '),
          link_bayar: messageLinks.bills(),
        },
      });
      if (!preview) queued += rows.length;
      for (const row of rows) {
        items.push({
          unit_id: unit.id,
          unit_code: unit.code,
          resident_name: row.resident_name ?? '',
          channel: row.channel,
          amount,
          text: withBaseUrl(row.body_text, baseUrl),
        });
      }
    }
    return { items, queued };
  });
}

export const planRemindersJob = defineJob({
  name: 'messages.plan-reminders',
  schema: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  leaseMs: 10 * 60_000,
  // Each group of units commits on its own (queueDailyReminders); in the runner's one transaction the whole run would
  // hold SQLite's write lock again. Running it twice is harmless: a cause is queued once.
  transactional: false,
  run: async (ctx, { day }) => {
    await queueDailyReminders(ctx.store(), day);
  },
});

/** For each estate whose day has reached the planning hour: one planning job per estate and local day. */
export async function planReminderDays(app: AppContext, now: Date): Promise<void> {
  const knex = platformKnex(app.db.knex);
  const estates = (await knex('estates').whereNull('deleted_at').select('id', 'timezone')) as { id: string; timezone: string | null }[];
  for (const estate of estates) {
    const zone = estate.timezone || 'Asia/Jakarta';
    const localHour = new Date(now.getTime() + zoneOffsetMs(zone, now.getTime())).getUTCHours();
    if (localHour < PLAN_FROM_LOCAL_HOUR) continue;
    const day = localDateOfInstant(now.toISOString(), zone);
    await enqueueJob(knex, planRemindersJob, { day }, { estateId: estate.id, key: `${estate.id}:${day}` });
  }
}

export const remindersSchedule = defineSchedule({
  name: 'messages-reminders',
  everyMs: 15 * 60_000,
  plan: planReminderDays,
});
