import { z } from 'zod';
import { addDaysToDate, estateToday, zoneOffsetMs } from '../calendar/calendar.ts';
import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { defineJob, retryDelayMs, type JobContext } from '../jobs/define-job.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { emailAccount, gatewayAccount } from './channel-settings.ts';
import type { MessageRow } from './message-row.ts';
import { nextSendingSlot, type SentCounts } from './sending-window.ts';
import { type TemplateVars, withBaseUrl } from './templates.ts';
import { DeliveryError, sendEmail, sendWhatsappGateway } from './transports.ts';
import { sendPushMessage } from './push-sending.ts';

/** Tries of one message (each after a longer wait: 2 s, 4 s, 8 s, 16 s) before the office sees it failed. */
export const MESSAGE_MAX_ATTEMPTS = 5;

const REMINDER_CAUSES = new Set(['reminder_h3', 'reminder_h1', 'reminder_h_plus1']);

/** The instant the estate's next day starts. */
function startOfNextDay(now: Date, zone: string): Date {
  const tomorrow = addDaysToDate(estateToday(zone, now), 1);
  const naive = Date.parse(`${tomorrow}T00:00:00Z`);
  return new Date(naive - zoneOffsetMs(zone, naive));
}

async function sentCounts(store: ScopedStore, now: Date, zone: string): Promise<SentCounts> {
  const dayStart = new Date(startOfNextDay(now, zone).getTime() - 86_400_000).toISOString();
  const minuteAgo = new Date(now.getTime() - 60_000).toISOString();
  const rows = (await store
    .query('messages')
    .where('messages.channel', 'wa_gateway')
    .whereIn('messages.status', ['sending', 'sent', 'delivered', 'read'])
    .where('messages.sent_at', '>=', dayStart)
    .select('messages.sent_at')) as { sent_at: string }[];
  const times = rows.map((r) => r.sent_at).sort();
  return {
    today: times.length,
    lastMinute: times.filter((t) => t >= minuteAgo).length,
    lastSentAt: times.length ? new Date(times[times.length - 1]) : null,
  };
}

/** Whether what a reminder is about is still owed now: a payment since it was queued cancels it. */
async function stillOwed(store: ScopedStore, row: MessageRow): Promise<boolean> {
  // Lazy: the ledger enqueues messages, so a static import back would make the two load each other.
  const { invoiceBalancesQuery, toInvoiceBalance } = await import('../ledger/index.ts');
  const found = await invoiceBalancesQuery(store, (q) => q.where('i.id', row.cause_id)).first();
  return Boolean(found) && toInvoiceBalance(found).outstanding > 0;
}

async function setStatus(store: ScopedStore, id: string, from: string[], patch: Record<string, unknown>, action: string) {
  return store.updateWhere(
    'messages',
    (q) => q.where('messages.id', id).whereIn('messages.status', from),
    { ...patch, updated_at: nowIso() },
    action,
  );
}

async function later(ctx: JobContext, store: ScopedStore, row: MessageRow, at: Date, patch: Record<string, unknown> = {}) {
  await store.transaction(async (tx) => {
    await setStatus(tx, row.id, ['queued', 'sending'], { status: 'queued', next_attempt_at: at.toISOString(), ...patch }, 'messages.defer');
    await enqueueJob(
      tx.knex,
      sendMessageJob,
      { message_id: row.id },
      { estateId: tx.estateId, key: `message:${row.id}:${at.toISOString()}`, runAt: at },
    );
  });
}

/**
 * Sends one queued message through its channel. Not transactional (it talks to the outside world): the message is
 * claimed (`sending`) before the call and marked `sent` after it, so a crash in between leaves it `sending`, and the
 * next run marks it failed for the office to look at instead of sending it again.
 */
export const sendMessageJob = defineJob({
  name: 'messages.send',
  schema: z.object({ message_id: z.string() }),
  transactional: false,
  maxAttempts: 3,
  run: async (ctx, { message_id }) => {
    const store = ctx.store();
    const row = await store.find<MessageRow>('messages', message_id);
    if (!row) return;
    if (row.status === 'sending') {
      await setStatus(
        store,
        row.id,
        ['sending'],
        { status: 'failed', failure_reason: 'Pengiriman terputus: pesan mungkin sudah terkirim. Periksa sebelum mengirim ulang.' },
        'messages.interrupted',
      );
      return;
    }
    if (row.status !== 'queued') return;
    // A job left over from before a deferral or a retry: the newer one carries the message.
    if (row.next_attempt_at && Date.parse(row.next_attempt_at) > ctx.now.getTime() + 1000) return;

    if (REMINDER_CAUSES.has(row.cause_kind) && !(await stillOwed(store, row))) {
      await setStatus(store, row.id, ['queued'], { status: 'cancelled', failure_reason: 'Tagihan sudah lunas.' }, 'messages.cancel');
      return;
    }

    const dataDir = ctx.app.dataDir;
    const zone = await store.timezone();
    let send: () => Promise<string | null>;
    if (row.channel === 'wa_gateway') {
      const gateway = await gatewayAccount(store, dataDir);
      if (!gateway) {
        await setStatus(store, row.id, ['queued'], { status: 'failed', failure_reason: 'Gateway WhatsApp tidak aktif.' }, 'messages.fail');
        return;
      }
      const slot = nextSendingSlot(
        ctx.now,
        zone,
        gateway.rules,
        await sentCounts(store, ctx.now, zone),
        Math.random(),
        startOfNextDay(ctx.now, zone),
      );
      if (slot) {
        await later(ctx, store, row, slot);
        return;
      }
      send = () =>
        sendWhatsappGateway(gateway.account, row.recipient!, {
          text: withBaseUrl(row.body_text, ctx.app.publicUrl),
          template_key: row.template_key,
          vars: storedVars(row, ctx.app.publicUrl),
        });
    } else if (row.channel === 'email') {
      const account = await emailAccount(store, dataDir);
      if (!account) {
        await setStatus(store, row.id, ['queued'], { status: 'failed', failure_reason: 'Email (SMTP) tidak aktif.' }, 'messages.fail');
        return;
      }
      const attachments =
        row.cause_kind === 'payment_received' ? await receiptAttachment(store, row.cause_id, ctx.app.publicUrl) : undefined;
      send = () =>
        sendEmail(account, {
          to: row.recipient!,
          subject: row.subject ?? '',
          text: withBaseUrl(row.body_text, ctx.app.publicUrl),
          html: withBaseUrl(row.body_html ?? row.body_text, ctx.app.publicUrl),
          attachments,
        });
    } else if (row.channel === 'webpush') {
      // No quiet hours: the phone decides whether a notification makes a sound (server/webpush/README.md).
      send = () => sendPushMessage(ctx.app, store, row);
    } else {
      return;
    }

    const attempt = Number(row.attempts) + 1;
    const claimed = await setStatus(
      store,
      row.id,
      ['queued'],
      { status: 'sending', attempts: attempt, sent_at: ctx.now.toISOString(), next_attempt_at: null },
      'messages.sending',
    );
    if (!claimed.length) return;
    try {
      const providerId = await send();
      await setStatus(
        store,
        row.id,
        ['sending'],
        { status: 'sent', provider_message_id: providerId, failure_reason: null },
        'messages.sent',
      );
    } catch (err) {
      const reason = err instanceof DeliveryError ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
      const retryable = !(err instanceof DeliveryError) || err.retryable;
      if (retryable && attempt < MESSAGE_MAX_ATTEMPTS) {
        await later(ctx, store, row, new Date(ctx.now.getTime() + retryDelayMs(attempt)), {
          failure_reason: reason.slice(0, 1000),
          sent_at: null,
        });
      } else {
        await setStatus(
          store,
          row.id,
          ['sending'],
          { status: 'failed', failure_reason: reason.slice(0, 1000), sent_at: null },
          'messages.fail',
        );
      }
    }
  },
});

/** The variables the message was rendered from, links with the public address filled in. */
function storedVars(row: MessageRow, publicUrl: string): TemplateVars {
  if (!row.template_vars) return {};
  const vars = JSON.parse(row.template_vars) as Record<string, string>;
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, withBaseUrl(String(v), publicUrl)]));
}

async function receiptAttachment(store: ScopedStore, paymentId: string, publicUrl: string) {
  // Lazy for the same reason as the ledger: receipts read the ledger, which enqueues messages.
  const { receiptPdfCopy } = await import('../receipts/index.ts');
  const { filename, pdf } = await receiptPdfCopy(store, paymentId, publicUrl);
  return [{ filename, content: pdf, contentType: 'application/pdf' }];
}
