import { whatsappNumber } from './phone.ts';
import type { MESSAGE_CHANNELS } from './schemas.ts';
import { renderHtml, renderText, type TemplateKey, type TemplateText, type TemplateVars } from './templates.ts';

/**
 * Who gets a message on which channel, and its text: the rules shared by `enqueueMessage` (one cause, inside the
 * write that causes it) and `enqueueMessages` (the day's reminders, many causes at once). Pure: the caller reads the
 * residents, their preferences and the estate's channels, and writes the rows.
 */

export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

export interface Occupant {
  resident_id: string;
  name: string;
  phone: string | null;
  email: string | null;
}

export interface Preference {
  channels: MessageChannel[] | null;
  opted_out: boolean;
}

export interface EnabledChannels {
  email: boolean;
  wa_gateway: boolean;
}

/**
 * What the portal's bell carries also goes to the phones of residents who turned push on, whatever channels they chose
 * (turning push on is that choice); the other templates only when a resident or cause names `webpush`.
 */
export const PUSH_TEMPLATES = new Set<string>(['payment_received', 'proof_rejected', 'announcement', 'guest_arrived']);

/** The channels that leave the server through a sending job. */
export const SENT_BY_JOB = new Set<string>(['wa_gateway', 'email', 'webpush']);

/** The columns `messages` is unique on: one cause reaches each resident once per channel. */
export const MESSAGE_IDENTITY = ['estate_id', 'cause_kind', 'cause_id', 'resident_id', 'channel'] as const;

export function recipientFor(channel: MessageChannel, occupant: Occupant): string | null {
  if (channel === 'wa_link' || channel === 'wa_gateway') return whatsappNumber(occupant.phone);
  if (channel === 'email') return occupant.email && occupant.email.includes('@') ? occupant.email.trim() : null;
  return occupant.resident_id;
}

/** Whether anyone's push devices matter for this message: only then are the subscriptions read. */
export function pushMatters(
  template: TemplateKey,
  causeChannels: readonly MessageChannel[] | undefined,
  prefs: Iterable<Preference>,
): boolean {
  if (PUSH_TEMPLATES.has(template) || causeChannels?.includes('webpush')) return true;
  for (const p of prefs) if (p.channels?.includes('webpush')) return true;
  return false;
}

export interface PlanInput {
  template: TemplateKey;
  vars?: TemplateVars;
  channels?: MessageChannel[];
}

export interface PlannedMessage {
  occupant: Occupant;
  channel: MessageChannel;
  recipient: string;
  subject: string;
  text: string;
  /** The email's HTML, made only for that channel. */
  html: () => string;
  vars: TemplateVars;
}

/**
 * The messages one cause makes for these residents. Residents who opted out, or who cannot be reached on a channel,
 * get nothing there.
 */
export function planMessages(
  input: PlanInput,
  occupants: readonly Occupant[],
  facts: {
    template: TemplateText;
    unitCode: string;
    prefs: ReadonlyMap<string, Preference>;
    enabled: EnabledChannels;
    withPush: ReadonlySet<string>;
  },
): PlannedMessage[] {
  const { enabled } = facts;
  const pushTemplate = PUSH_TEMPLATES.has(input.template);
  const zoneWhatsapp: MessageChannel = enabled.wa_gateway ? 'wa_gateway' : 'wa_link';
  const planned: PlannedMessage[] = [];
  for (const occupant of occupants) {
    const pref = facts.prefs.get(occupant.resident_id);
    if (pref?.opted_out) continue;
    const wanted = input.channels ?? pref?.channels ?? [zoneWhatsapp, ...(enabled.email ? (['email'] as const) : [])];
    const channels = [
      ...new Set([
        ...wanted.map((c) => (c === 'wa_gateway' && !enabled.wa_gateway ? 'wa_link' : c)),
        ...(pushTemplate ? (['webpush'] as const) : []),
      ]),
    ].filter((c) => (c !== 'email' || enabled.email) && (c !== 'webpush' || facts.withPush.has(occupant.resident_id)));
    const vars = { unit: facts.unitCode, ...input.vars, nama: occupant.name };
    const rendered = renderText(facts.template, vars);
    const html = () => renderHtml(facts.template.body, vars);
    for (const channel of channels) {
      const recipient = recipientFor(channel, occupant);
      if (!recipient) continue;
      planned.push({ occupant, channel, recipient, subject: rendered.subject, text: rendered.text, html, vars });
    }
  }
  return planned;
}

/** The `messages` row of a planned message, as it is inserted (the store adds id, estate and created_at). */
export function messageValues(
  m: PlannedMessage,
  input: { template: TemplateKey; cause: { kind: string; id: string }; unitId: string | null; notBefore?: Date },
  at: string,
): Record<string, unknown> {
  return {
    unit_id: input.unitId,
    resident_id: m.occupant.resident_id,
    channel: m.channel,
    recipient: m.recipient,
    template_key: input.template,
    subject: m.subject,
    body_text: m.text,
    body_html: m.channel === 'email' ? m.html() : null,
    // The Cloud API sends an approved template filled with these values rather than the text.
    template_vars: m.channel === 'wa_gateway' ? JSON.stringify(m.vars) : null,
    // The portal bell shows what is written; nothing has to travel.
    status: m.channel === 'portal' ? 'sent' : 'queued',
    attempts: 0,
    next_attempt_at: input.notBefore?.toISOString() ?? null,
    cause_kind: input.cause.kind,
    cause_id: input.cause.id,
    sent_at: m.channel === 'portal' ? at : null,
    updated_at: at,
  };
}
