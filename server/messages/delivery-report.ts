import { DateTime } from 'luxon';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ValidationError } from '../http/errors.ts';
import { statusWebhookKeys } from './channel-settings.ts';
import { MESSAGE_CHANNELS, type DeliveryReport } from './schemas.ts';

type Channel = (typeof MESSAGE_CHANNELS)[number];

/** A channel's messages by status, each message counted once, under its status now. */
export interface StatusCounts {
  total: number;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  cancelled: number;
}

export const noStatusCounts = (): StatusCounts => ({
  total: 0,
  queued: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  failed: 0,
  cancelled: 0,
});

/**
 * The one rule both reports count by (the batch's here, an announcement's in announcements/): a message handed to its
 * transport but not yet answered ('sending') still waits, so it counts as queued; every other status is its own count,
 * so a read message is read and not also delivered or sent.
 */
export function countStatus(counts: StatusCounts, status: string, n = 1): void {
  counts.total += n;
  const bucket = status === 'sending' ? 'queued' : status;
  if (bucket !== 'total' && Object.hasOwn(counts, bucket)) counts[bucket as keyof StatusCounts] += n;
}

interface ReportRow {
  unit_id: string | null;
  unit_code: string | null;
  channel: Channel;
  status: string;
  failure_reason: string | null;
}

/**
 * A batch's reach, for the office: per channel how many messages are queued, sent, delivered, read or failed, and the
 * units none of whose messages has reached anyone yet. A message reached its resident when it was delivered or read,
 * or sent on a channel that reports nothing further (a ticked wa.me link, email, the portal, web push, a gateway
 * without status callbacks): "sent" through a gateway that reports statuses is only on its way.
 */
export async function deliveryReport(
  store: ScopedStore,
  dataDir: string,
  filter: { template_key?: string; cause_id?: string; date?: string },
): Promise<DeliveryReport> {
  if (!filter.cause_id && !filter.date) throw new ValidationError('Pilih tanggal atau satu pengumuman.', 'date');
  const q = store.query('messages').leftJoin('units', 'units.id', 'messages.unit_id');
  if (filter.template_key) q.where('messages.template_key', filter.template_key);
  if (filter.cause_id) q.where('messages.cause_id', filter.cause_id);
  if (filter.date) {
    const zone = await store.timezone();
    const start = DateTime.fromISO(filter.date, { zone }).startOf('day');
    if (!start.isValid) throw new ValidationError('Tanggal tidak valid.', 'date');
    q.where('messages.created_at', '>=', start.toUTC().toISO()!).where(
      'messages.created_at',
      '<',
      start.plus({ days: 1 }).toUTC().toISO()!,
    );
  }
  const rows = (await q
    .orderBy('units.code')
    .limit(20_000)
    .select(
      'messages.unit_id',
      'units.code as unit_code',
      'messages.channel',
      'messages.status',
      'messages.failure_reason',
    )) as ReportRow[];

  const keys = await statusWebhookKeys(store, dataDir).catch(() => null);
  const gatewayReports = !!keys && keys.provider !== 'fonnte' && !!keys.secret;
  const reached = (r: ReportRow) =>
    r.status === 'delivered' || r.status === 'read' || (r.status === 'sent' && (r.channel !== 'wa_gateway' || !gatewayReports));

  const channels = new Map<Channel, DeliveryReport['channels'][number]>();
  const units = new Map<
    string,
    { unit_code: string | null; reached: boolean; messages: DeliveryReport['not_reached'][number]['messages'] }
  >();
  for (const r of rows) {
    let c = channels.get(r.channel);
    if (!c) {
      c = { channel: r.channel, ...noStatusCounts() };
      channels.set(r.channel, c);
    }
    countStatus(c, r.status);
    if (!r.unit_id) continue;
    const unit = units.get(r.unit_id) ?? { unit_code: r.unit_code, reached: false, messages: [] };
    unit.reached ||= reached(r);
    unit.messages.push({ channel: r.channel, status: r.status as never, failure_reason: r.failure_reason });
    units.set(r.unit_id, unit);
  }
  return {
    channels: MESSAGE_CHANNELS.flatMap((ch) => (channels.has(ch) ? [channels.get(ch)!] : [])),
    units_total: units.size,
    not_reached: [...units.entries()]
      .filter(([, u]) => !u.reached)
      .map(([unit_id, u]) => ({ unit_id, unit_code: u.unit_code, messages: u.messages })),
  };
}
