import { estateToday } from '../calendar/calendar.ts';
import { nowIso } from '../db/clock.ts';
import { queryTemplate, queryTemplatePerLength } from '../db/query-template.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { formatRupiah, rupiah } from '../money/rupiah.ts';
import { residentsWithPush } from '../webpush/index.ts';
import { enabledChannels } from './channel-settings.ts';
import { waMeLink } from './phone.ts';
import {
  MESSAGE_IDENTITY,
  messageValues,
  planMessages,
  pushMatters,
  SENT_BY_JOB,
  type MessageChannel,
  type Occupant,
  type Preference,
} from './message-plan.ts';
import type { MessageRow } from './message-row.ts';
import type { Message } from './schemas.ts';
import { sendMessageJob } from './send-job.ts';
import { BASE_URL_MARK, DEFAULT_TEMPLATES, withBaseUrl, type TemplateKey, type TemplateText, type TemplateVars } from './templates.ts';

export type { MessageChannel, MessageRow };

export interface EnqueueMessageInput {
  template: TemplateKey;
  /** What the message is about: one cause reaches each resident once per channel, however often it is enqueued. */
  cause: { kind: string; id: string };
  unitId: string | null;
  /** The unit's code when the caller has it at hand (recording a payment does): one read fewer. */
  unitCode?: string;
  /** Default: whoever lives in `unitId` on the estate's today. */
  residentIds?: string[];
  vars?: TemplateVars;
  /** The channels the cause asks for (an announcement's choice); default: each resident's own choice. */
  channels?: MessageChannel[];
  /** Not sent before this instant. */
  notBefore?: Date;
  /** Answer the messages that would be written, and write nothing. */
  preview?: boolean;
}

/** The template an estate uses for `key`: its own wording or the default. */
export async function templateFor(store: ScopedStore, key: TemplateKey): Promise<TemplateText> {
  const [row] = await store.select<{ subject: string | null; body: string }>(templateQuery, { key });
  const fallback = DEFAULT_TEMPLATES[key];
  return row ? { subject: row.subject ?? fallback.subject, body: row.body } : fallback;
}

/** The portal pages a message links to; the installation's address is filled in when shown or sent. */
export const messageLinks = {
  bills: () => `${BASE_URL_MARK}/portal/bills`,
  receipt: (estateId: string, paymentId: string) => `${BASE_URL_MARK}/api/v1/estates/${estateId}/portal/payments/${paymentId}/receipt.pdf`,
};

export function rupiahText(amount: number): string {
  return formatRupiah(rupiah(amount));
}

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** "2026-11-20" → "20 November 2026" (a calendar day, no zone involved). */
export function dateText(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "2026-11" → "November 2026". */
export function periodText(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return `${MONTHS[m - 1]} ${y}`;
}

// The reads below run for every message queued (every payment queues its receipt message): each is compiled once
// (db/query-template.ts) instead of being built with knex on every call.
const occupantsQuery = queryTemplate<'estateId' | 'unitId' | 'today'>((knex, p) =>
  knex('unit_occupancies')
    .join('residents', (j) =>
      j.on('residents.id', '=', 'unit_occupancies.resident_id').andOn('residents.estate_id', '=', 'unit_occupancies.estate_id'),
    )
    .where('unit_occupancies.estate_id', p.estateId)
    .where('unit_occupancies.unit_id', p.unitId)
    .whereNull('unit_occupancies.deleted_at')
    .whereNull('residents.deleted_at')
    .where((q) => q.whereNull('unit_occupancies.moved_in_on').orWhere('unit_occupancies.moved_in_on', '<=', p.today))
    .where((q) => q.whereNull('unit_occupancies.moved_out_on').orWhere('unit_occupancies.moved_out_on', '>', p.today))
    .distinct('residents.id as resident_id', 'residents.name', 'residents.phone', 'residents.email')
    .orderBy('residents.name'),
);

const templateQuery = queryTemplate<'estateId' | 'key'>((knex, p) =>
  knex('message_templates').where({ estate_id: p.estateId, key: p.key }).whereNull('deleted_at').first('subject', 'body'),
);

/** Residents per template: a unit has a few, so one compiled statement per count covers them. */
const preferencesQuery = queryTemplatePerLength<'estateId'>(8, (knex, p, residentIds) =>
  knex('message_preferences')
    .where('estate_id', p.estateId)
    .whereNull('deleted_at')
    .whereIn('resident_id', residentIds)
    .select('resident_id', 'channels', 'opted_out'),
);

/** Who lives in the unit today (the residency rule: occupancy not removed, moved in, not yet moved out). */
async function occupantsOf(store: ScopedStore, unitId: string): Promise<Occupant[]> {
  const today = estateToday(await store.timezone());
  return store.select<Occupant>(occupantsQuery, { unitId, today });
}

async function residentsByIds(store: ScopedStore, ids: string[]): Promise<Occupant[]> {
  if (!ids.length) return [];
  return store
    .live('residents')
    .whereIn('residents.id', ids)
    .select('residents.id as resident_id', 'residents.name', 'residents.phone', 'residents.email');
}

/** The residents' own choices of channel (none: the estate's default). */
export async function preferencesOf(store: ScopedStore, residentIds: string[]): Promise<Map<string, Preference>> {
  if (!residentIds.length) return new Map();
  type PreferenceRow = { resident_id: string; channels: string | null; opted_out: boolean | number };
  const template = preferencesQuery.forLength(residentIds.length);
  const rows = template
    ? await store.select<PreferenceRow>(template, preferencesQuery.values(residentIds))
    : ((await store
        .live('message_preferences')
        .whereIn('message_preferences.resident_id', residentIds)
        .select('resident_id', 'channels', 'opted_out')) as PreferenceRow[]);
  return new Map(
    rows.map((r) => [r.resident_id, { channels: r.channels ? JSON.parse(r.channels) : null, opted_out: Boolean(r.opted_out) }]),
  );
}

/**
 * Queues `input.template` for the unit's residents, inside the caller's transaction (the write that causes it): the
 * messages and their sending jobs exist exactly when that write commits. Residents who opted out, or who cannot be
 * reached on a channel, get nothing there (message-plan.ts). Returns the messages written now (none when the cause
 * was queued before).
 */
export async function enqueueMessage(store: ScopedStore, input: EnqueueMessageInput): Promise<MessageRow[]> {
  return store.transaction(async (tx) => {
    const occupants = input.residentIds
      ? await residentsByIds(tx, input.residentIds)
      : input.unitId
        ? await occupantsOf(tx, input.unitId)
        : [];
    if (!occupants.length) return [];
    const residentIds = occupants.map((o) => o.resident_id);
    const prefs = await preferencesOf(tx, residentIds);
    const enabled = await enabledChannels(tx);
    const withPush = pushMatters(input.template, input.channels, prefs.values())
      ? await residentsWithPush(tx, residentIds)
      : new Set<string>();
    const template = await templateFor(tx, input.template);
    const unitCode =
      input.unitCode ??
      (input.unitId
        ? (((await tx.query('units').where('units.id', input.unitId).first('code')) as { code: string } | undefined)?.code ?? '')
        : '');
    const written: MessageRow[] = [];
    for (const planned of planMessages(input, occupants, { template, unitCode, prefs, enabled, withPush })) {
      const at = nowIso();
      const values = messageValues(planned, input, at);
      if (input.preview) {
        written.push({
          ...values,
          id: '',
          body_html: null,
          template_vars: undefined,
          status: 'queued',
          next_attempt_at: null,
          sent_at: null,
          failure_reason: null,
          provider_message_id: null,
          created_at: at,
          resident_name: planned.occupant.name,
        } as MessageRow);
        continue;
      }
      const row = await tx.insertUnlessExists<MessageRow>('messages', values, MESSAGE_IDENTITY, 'messages.enqueue');
      if (!row) continue;
      written.push(row);
      if (SENT_BY_JOB.has(row.channel)) {
        await enqueueJob(
          tx.knex,
          sendMessageJob,
          { message_id: row.id },
          { estateId: tx.estateId, key: `message:${row.id}:0`, runAt: input.notBefore },
        );
      }
    }
    return written;
  });
}

/** Reminders about one invoice, planned each day. */
const INVOICE_REMINDER_KINDS = ['reminder_h3', 'reminder_h1', 'reminder_h_plus1'];
/** Reminders about everything a unit owes: the monthly digest and the office's batch by hand. */
const UNIT_REMINDER_KINDS = ['overdue_digest', 'manual_reminder'];

/**
 * Inside a payment's transaction: reminders still waiting about what it settled are withdrawn, so the wa.me list the
 * treasurer works through no longer offers them and no gateway sends them. Those about one invoice go when that
 * invoice is paid in full; those about the whole unit only when the unit owes nothing more (after part of it they
 * stay: the rest is still owed, though the amount they name is what was owed when they were written).
 */
export async function withdrawSettledReminders(
  store: ScopedStore,
  input: { unitId: string; settledInvoiceIds: readonly string[]; unitSettled: boolean },
): Promise<void> {
  if (!input.settledInvoiceIds.length && !input.unitSettled) return;
  await store.updateWhere(
    'messages',
    (q) =>
      q.where('messages.status', 'queued').where((which) => {
        if (input.settledInvoiceIds.length) {
          which.where((w) =>
            w.whereIn('messages.cause_kind', INVOICE_REMINDER_KINDS).whereIn('messages.cause_id', [...input.settledInvoiceIds]),
          );
        }
        if (input.unitSettled) {
          which.orWhere((w) => w.whereIn('messages.cause_kind', UNIT_REMINDER_KINDS).where('messages.unit_id', input.unitId));
        }
      }),
    { status: 'cancelled', failure_reason: 'Tagihan sudah lunas.', updated_at: nowIso() },
    'messages.cancel',
  );
}

export function serializeMessage(row: MessageRow & { unit_code?: string | null; resident_name?: string | null }, baseUrl: string): Message {
  const text = withBaseUrl(row.body_text, baseUrl);
  return {
    id: row.id,
    unit_id: row.unit_id,
    unit_code: row.unit_code ?? null,
    resident_id: row.resident_id,
    resident_name: row.resident_name ?? null,
    channel: row.channel,
    recipient: row.recipient,
    template_key: row.template_key,
    subject: row.subject,
    body_text: text,
    status: row.status,
    failure_reason: row.failure_reason,
    attempts: Number(row.attempts),
    next_attempt_at: row.next_attempt_at,
    cause_kind: row.cause_kind,
    cause_id: row.cause_id,
    sent_at: row.sent_at,
    created_at: row.created_at,
    wa_link: row.channel === 'wa_link' && row.recipient ? waMeLink(row.recipient, text) : null,
  };
}

export async function listMessages(
  store: ScopedStore,
  baseUrl: string,
  q: { status?: string; channel?: string; unit_id?: string; template_key?: string; limit: number; offset: number },
): Promise<{ items: Message[]; total: number }> {
  const filtered = () => {
    const b = store.query('messages');
    if (q.status) b.where('messages.status', q.status);
    if (q.channel) b.where('messages.channel', q.channel);
    if (q.unit_id) b.where('messages.unit_id', q.unit_id);
    if (q.template_key) b.where('messages.template_key', q.template_key);
    return b;
  };
  const [{ n }] = (await filtered().count({ n: '*' })) as { n: number | string }[];
  const rows = await filtered()
    .leftJoin('units', (j) => j.on('units.id', '=', 'messages.unit_id').andOn('units.estate_id', '=', 'messages.estate_id'))
    .leftJoin('residents', (j) => j.on('residents.id', '=', 'messages.resident_id').andOn('residents.estate_id', '=', 'messages.estate_id'))
    .orderBy('messages.created_at', 'desc')
    .orderBy('messages.id', 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .select('messages.*', 'units.code as unit_code', 'residents.name as resident_name');
  return { items: rows.map((r: MessageRow) => serializeMessage(r, baseUrl)), total: Number(n) };
}

async function messageWithNames(store: ScopedStore, id: string, baseUrl: string): Promise<Message> {
  const row = await store
    .query('messages')
    .where('messages.id', id)
    .leftJoin('units', (j) => j.on('units.id', '=', 'messages.unit_id').andOn('units.estate_id', '=', 'messages.estate_id'))
    .leftJoin('residents', (j) => j.on('residents.id', '=', 'messages.resident_id').andOn('residents.estate_id', '=', 'messages.estate_id'))
    .first('messages.*', 'units.code as unit_code', 'residents.name as resident_name');
  if (!row) throw new NotFoundError('Pesan');
  return serializeMessage(row, baseUrl);
}

/** The office sent a wa.me message by hand and ticks it off. */
export async function markMessageSent(store: ScopedStore, id: string, baseUrl: string): Promise<Message> {
  await store.transaction(async (tx) => {
    const row = await tx.get<MessageRow>('messages', id, 'Pesan');
    if (row.channel !== 'wa_link') {
      throw new ConflictError('MESSAGE_NOT_MANUAL', 'Hanya pesan wa.me yang ditandai terkirim oleh pengurus.');
    }
    if (row.status !== 'queued') throw new ConflictError('MESSAGE_NOT_QUEUED', 'Pesan ini tidak menunggu untuk dikirim.');
    await tx.update('messages', id, { status: 'sent', sent_at: nowIso() }, 'messages.mark_sent');
  });
  return messageWithNames(store, id, baseUrl);
}

/** A failed (or cancelled) message goes back to the queue, with its tries counted afresh. */
export async function retryMessage(store: ScopedStore, id: string, baseUrl: string): Promise<Message> {
  await store.transaction(async (tx) => {
    const row = await tx.get<MessageRow>('messages', id, 'Pesan');
    if (row.status !== 'failed' && row.status !== 'cancelled') {
      throw new ConflictError('MESSAGE_NOT_FAILED', 'Hanya pesan yang gagal atau dibatalkan yang dapat dikirim ulang.');
    }
    const changed = await tx.updateWhere(
      'messages',
      (q) => q.where('messages.id', id).whereIn('messages.status', ['failed', 'cancelled']),
      { status: 'queued', failure_reason: null, attempts: 0, next_attempt_at: null, updated_at: nowIso() },
      'messages.retry',
    );
    if (!changed.length) throw new ConflictError('MESSAGE_NOT_FAILED', 'Hanya pesan yang gagal atau dibatalkan yang dapat dikirim ulang.');
    if (SENT_BY_JOB.has(row.channel)) {
      await enqueueJob(tx.knex, sendMessageJob, { message_id: id }, { estateId: tx.estateId, key: `message:${id}:retry:${nowIso()}` });
    }
  });
  return messageWithNames(store, id, baseUrl);
}

export async function residentPreferences(store: ScopedStore, residentId: string) {
  await store.get('residents', residentId, 'Warga');
  const pref = (await preferencesOf(store, [residentId])).get(residentId);
  return { resident_id: residentId, channels: pref?.channels ?? null, opted_out: pref?.opted_out ?? false };
}

export async function saveResidentPreferences(
  store: ScopedStore,
  residentId: string,
  body: { channels: MessageChannel[] | null; opted_out: boolean },
) {
  return store.transaction(async (tx) => {
    await tx.get('residents', residentId, 'Warga');
    const existing = (await tx.live('message_preferences').where('message_preferences.resident_id', residentId).first('id')) as
      | { id: string }
      | undefined;
    const values = { channels: body.channels ? JSON.stringify([...new Set(body.channels)]) : null, opted_out: body.opted_out };
    if (existing) await tx.update('message_preferences', existing.id, values, 'message_preferences.update');
    else
      await tx.insertUnlessExists(
        'message_preferences',
        { resident_id: residentId, ...values, updated_at: nowIso(), deleted_at: null },
        ['estate_id', 'resident_id'],
        'message_preferences.create',
      );
    return residentPreferences(tx, residentId);
  });
}
