import { nowIso } from '../db/clock.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../http/errors.ts';
import { defineRoutes } from '../http/route.ts';
import { estateParams, idParams } from '../http/schemas.ts';
import {
  channelSettings,
  emailAccount,
  gatewayAccount,
  saveEmailChannel,
  saveGatewayChannel,
  withStatusWebhookUrl,
} from './channel-settings.ts';
import {
  listMessages,
  markMessageSent,
  residentPreferences,
  retryMessage,
  saveResidentPreferences,
  templateFor,
} from './message-service.ts';
import { whatsappNumber } from './phone.ts';
import { reminderBatch } from './reminders.ts';
import {
  channelSettingsResponse,
  channelTestBody,
  channelTestResponse,
  emailChannelBody,
  gatewayChannelBody,
  messageListQuery,
  messageListResponse,
  messageResponse,
  preferencesBody,
  preferencesResponse,
  reminderBatchBody,
  reminderBatchResponse,
  templateBody,
  templateKeyParams,
  templateListResponse,
  templatePreviewBody,
  templatePreviewResponse,
  templateResponse,
} from './schemas.ts';
import {
  DEFAULT_TEMPLATES,
  renderMessage,
  TEMPLATE_KEYS,
  TEMPLATE_VARIABLES,
  unknownVariables,
  withBaseUrl,
  type TemplateKey,
} from './templates.ts';
import { DeliveryError, sendEmail, sendWhatsappGateway } from './transports.ts';
import type { ScopedStore } from '../db/scoped-store.ts';

const tags = ['messages'];

/** Values a preview shows in place of the variables. */
const SAMPLE_VARS = {
  nama: 'Budi Santoso',
  unit: 'A-12',
  jumlah: 'Rp 150.000',
  periode: 'November 2026',
  jatuh_tempo: '20 November 2026',
  link_bayar: 'https://contoh.klustera.id/portal/bills',
  link_kuitansi: 'https://contoh.klustera.id/portal/payments',
  alasan: 'Nominal tidak sesuai',
  tamu: 'Andi',
  judul: 'Kerja bakti Minggu pagi',
  isi: 'Kerja bakti membersihkan saluran air, Minggu 07.00.',
};

async function templateView(store: ScopedStore, key: TemplateKey) {
  const current = await templateFor(store, key);
  const fallback = DEFAULT_TEMPLATES[key];
  return {
    key,
    subject: current.subject,
    body: current.body,
    customised: current.body !== fallback.body || current.subject !== fallback.subject,
    default_subject: fallback.subject,
    default_body: fallback.body,
  };
}

function checkVariables(subject: string, body: string) {
  const unknown = unknownVariables(`${subject}\n${body}`);
  if (unknown.length) throw new ValidationError(`Variabel tidak dikenal: ${`{${unknown[0]}}`}.`, 'body');
}

export const messageRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/messages',
    permission: 'messages.read',
    tags,
    summary: 'Messages to residents, newest first, by status, channel, unit or template (wa.me messages carry their link)',
    params: estateParams,
    query: messageListQuery,
    response: messageListResponse,
    handler: async (ctx) => listMessages(ctx.store!, ctx.app.publicUrl, ctx.query),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/messages/:id/mark-sent',
    permission: 'messages.send',
    tags,
    summary: 'Tick a wa.me message as sent by hand',
    params: idParams,
    response: messageResponse,
    handler: async (ctx) => markMessageSent(ctx.store!, ctx.params.id, ctx.app.publicUrl),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/messages/:id/retry',
    permission: 'messages.send',
    tags,
    summary: 'Queue a failed or cancelled message again',
    params: idParams,
    response: messageResponse,
    handler: async (ctx) => retryMessage(ctx.store!, ctx.params.id, ctx.app.publicUrl),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/messages/reminders',
    permission: 'messages.send',
    tags,
    summary: 'A payment reminder by hand for the chosen units (what each still owes); `preview` writes nothing',
    params: estateParams,
    body: reminderBatchBody,
    response: reminderBatchResponse,
    handler: async (ctx) => {
      const { items, queued } = await reminderBatch(ctx.store!, ctx.body.unit_ids, ctx.body.preview, ctx.app.publicUrl);
      return { preview: ctx.body.preview, items, queued };
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/settings/message-channels',
    permission: 'messages.settings',
    tags,
    summary: "The estate's email and WhatsApp gateway accounts (secrets are never returned, only whether they are set)",
    params: estateParams,
    response: channelSettingsResponse,
    handler: async (ctx) => withStatusWebhookUrl(await channelSettings(ctx.store!), ctx.app.publicUrl, ctx.store!.estateId),
  },
  {
    method: 'put',
    path: '/estates/:estate_id/settings/message-channels/email',
    permission: 'messages.settings',
    tags,
    summary: 'Save the SMTP account (a password left out keeps the stored one)',
    params: estateParams,
    body: emailChannelBody,
    response: channelSettingsResponse,
    handler: async (ctx) =>
      withStatusWebhookUrl(await saveEmailChannel(ctx.store!, ctx.app.dataDir, ctx.body), ctx.app.publicUrl, ctx.store!.estateId),
  },
  {
    method: 'put',
    path: '/estates/:estate_id/settings/message-channels/wa-gateway',
    permission: 'messages.settings',
    tags,
    summary: 'Save the WhatsApp gateway (Fonnte-style or WAHA), its rates and quiet hours (a token left out keeps the stored one)',
    params: estateParams,
    body: gatewayChannelBody,
    response: channelSettingsResponse,
    handler: async (ctx) =>
      withStatusWebhookUrl(await saveGatewayChannel(ctx.store!, ctx.app.dataDir, ctx.body), ctx.app.publicUrl, ctx.store!.estateId),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/settings/message-channels/test',
    permission: 'messages.settings',
    tags,
    summary: 'Send a test message through a saved channel to an address or number the office gives',
    params: estateParams,
    body: channelTestBody,
    response: channelTestResponse,
    handler: async (ctx) => {
      const text = `Pesan uji dari Klustera (${nowIso()}).`;
      try {
        if (ctx.body.channel === 'email') {
          const account = await emailAccount(ctx.store!, ctx.app.dataDir, true);
          if (!account) throw new ConflictError('MESSAGE_CHANNEL_NOT_SET', 'Simpan pengaturan email terlebih dahulu.');
          if (!ctx.body.to.includes('@')) throw new ValidationError('Alamat email tidak valid.', 'to');
          const id = await sendEmail(account, { to: ctx.body.to, subject: 'Pesan uji Klustera', text, html: `<p>${text}</p>` });
          return { ok: true as const, provider_message_id: id };
        }
        const gateway = await gatewayAccount(ctx.store!, ctx.app.dataDir, true);
        if (!gateway) throw new ConflictError('MESSAGE_CHANNEL_NOT_SET', 'Simpan pengaturan gateway WhatsApp terlebih dahulu.');
        const number = whatsappNumber(ctx.body.to);
        if (!number) throw new ValidationError('Nomor WhatsApp tidak valid.', 'to');
        // The Cloud API sends only approved templates: Meta's own hello_world stands in for a test.
        const id = await sendWhatsappGateway(
          gateway.account.provider === 'cloud_api'
            ? { ...gateway.account, cloud_templates: { test: { name: 'hello_world', language: 'en_US', params: [] } } }
            : gateway.account,
          number,
          { text, template_key: 'test' },
        );
        return { ok: true as const, provider_message_id: id };
      } catch (err) {
        if (err instanceof DeliveryError) throw new UnprocessableError('MESSAGE_TEST_FAILED', `Pesan uji gagal: ${err.message}`);
        throw err;
      }
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/message-templates',
    permission: 'messages.settings',
    tags,
    summary: "The estate's message templates (its own wording or the default) and the variables they may use",
    params: estateParams,
    response: templateListResponse,
    handler: async (ctx) => ({
      items: await Promise.all(TEMPLATE_KEYS.map((key) => templateView(ctx.store!, key))),
      variables: [...TEMPLATE_VARIABLES],
    }),
  },
  {
    method: 'put',
    path: '/estates/:estate_id/message-templates/:key',
    permission: 'messages.settings',
    tags,
    summary: "Save the estate's wording of a template",
    params: templateKeyParams,
    body: templateBody,
    response: templateResponse,
    handler: async (ctx) => {
      checkVariables(ctx.body.subject, ctx.body.body);
      const key = ctx.params.key;
      await ctx.store!.transaction(async (tx) => {
        const existing = (await tx.live('message_templates').where('message_templates.key', key).first('id')) as { id: string } | undefined;
        if (existing) await tx.update('message_templates', existing.id, ctx.body, 'message_templates.update');
        else
          await tx.insertUnlessExists(
            'message_templates',
            { key, ...ctx.body, updated_at: nowIso(), deleted_at: null },
            ['estate_id', 'key'],
            'message_templates.create',
          );
      });
      return templateView(ctx.store!, key);
    },
  },
  {
    method: 'delete',
    path: '/estates/:estate_id/message-templates/:key',
    permission: 'messages.settings',
    tags,
    summary: 'Go back to the default wording of a template',
    params: templateKeyParams,
    response: templateResponse,
    handler: async (ctx) => {
      const existing = (await ctx.store!.live('message_templates').where('message_templates.key', ctx.params.key).first('id')) as
        | { id: string }
        | undefined;
      if (existing) await ctx.store!.softDelete('message_templates', existing.id, 'message_templates.reset');
      return templateView(ctx.store!, ctx.params.key);
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/message-templates/preview',
    permission: 'messages.settings',
    tags,
    summary: 'A template filled with sample values, as text and as the email HTML',
    params: estateParams,
    body: templatePreviewBody,
    response: templatePreviewResponse,
    handler: async (ctx) => {
      checkVariables(ctx.body.subject, ctx.body.body);
      const r = renderMessage({ subject: ctx.body.subject, body: ctx.body.body }, SAMPLE_VARS);
      return { subject: r.subject, text: withBaseUrl(r.text, ctx.app.publicUrl), html: r.html };
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/residents/:id/message-preferences',
    permission: 'residents.read',
    tags,
    summary: "A resident's message channels and opt-out",
    params: idParams,
    response: preferencesResponse,
    handler: async (ctx) => residentPreferences(ctx.store!, ctx.params.id),
  },
  {
    method: 'put',
    path: '/estates/:estate_id/residents/:id/message-preferences',
    permission: 'residents.write',
    tags,
    summary: "Set a resident's message channels (null: the estate's default) and opt-out",
    params: idParams,
    body: preferencesBody,
    response: preferencesResponse,
    handler: async (ctx) => saveResidentPreferences(ctx.store!, ctx.params.id, ctx.body),
  },
]);
