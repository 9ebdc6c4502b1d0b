import { z } from 'zod';
import { TEMPLATE_KEYS, TEMPLATE_VARIABLES } from './templates.ts';

export const MESSAGE_CHANNELS = ['wa_link', 'wa_gateway', 'email', 'portal', 'webpush'] as const;
export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'cancelled'] as const;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Format jam HH:MM.');

export const messageListQuery = z.object({
  status: z.enum(MESSAGE_STATUSES).optional(),
  channel: z.enum(MESSAGE_CHANNELS).optional(),
  unit_id: z.string().max(64).optional(),
  template_key: z.enum(TEMPLATE_KEYS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const messageResponse = z.object({
  id: z.string(),
  unit_id: z.string().nullable(),
  unit_code: z.string().nullable(),
  resident_id: z.string(),
  resident_name: z.string().nullable(),
  channel: z.enum(MESSAGE_CHANNELS),
  recipient: z.string().nullable(),
  template_key: z.string(),
  subject: z.string().nullable(),
  body_text: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  failure_reason: z.string().nullable(),
  attempts: z.number().int(),
  next_attempt_at: z.string().nullable(),
  cause_kind: z.string(),
  cause_id: z.string(),
  sent_at: z.string().nullable(),
  created_at: z.string(),
  /** wa.me link that opens WhatsApp with the text filled in (wa_link messages with a usable number). */
  wa_link: z.string().nullable(),
});
export type Message = z.infer<typeof messageResponse>;

export const messageListResponse = z.object({
  items: z.array(messageResponse),
  total: z.number().int(),
});

export const emailChannelBody = z.object({
  enabled: z.boolean(),
  host: z.string().trim().min(1).max(200),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean().default(false),
  user: z.string().max(200).nullable().optional(),
  from_address: z.string().trim().email().max(254),
  from_name: z.string().max(100).nullable().optional(),
  /** Write-only; left out keeps the stored one. */
  password: z.string().max(500).optional(),
});

export const GATEWAY_PROVIDERS = ['fonnte', 'waha', 'cloud_api'] as const;
/** Meta's Graph API, used when the office leaves the address empty; a sandbox or a local stand-in may replace it. */
export const CLOUD_API_DEFAULT_BASE_URL = 'https://graph.facebook.com/v21.0';

/** A Klustera template's approved Meta template; `params` overrides the order of its body parameters. */
export const cloudTemplateMapping = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,512}$/, 'Nama template Meta: huruf kecil, angka dan garis bawah.'),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'Kode bahasa seperti id atau en_US.')
    .default('id'),
  params: z.array(z.enum(TEMPLATE_VARIABLES)).max(20).optional(),
});

export const gatewayChannelBody = z
  .object({
    enabled: z.boolean(),
    provider: z.enum(GATEWAY_PROVIDERS),
    base_url: z
      .string()
      .trim()
      .url()
      .max(500)
      .regex(/^https?:\/\//i, 'Alamat harus http:// atau https://.')
      .optional(),
    session: z.string().max(100).nullable().optional(),
    /** Cloud API: the sending number's id in the Meta business account. */
    phone_number_id: z
      .string()
      .trim()
      .regex(/^\d{5,30}$/, 'Phone number ID berupa angka.')
      .nullable()
      .optional(),
    /** Cloud API: Klustera template → approved Meta template. */
    cloud_templates: z.partialRecord(z.enum(TEMPLATE_KEYS), cloudTemplateMapping).optional(),
    per_minute: z.number().int().min(1).max(120).default(10),
    per_day: z.number().int().min(1).max(10_000).default(300),
    min_gap_s: z.number().int().min(0).max(600).default(3),
    max_gap_s: z.number().int().min(0).max(600).default(12),
    quiet_from: hhmm.nullable().default('21:00'),
    quiet_to: hhmm.nullable().default('07:00'),
    /** Write-only; left out keeps the stored one. */
    token: z.string().max(500).optional(),
    /**
     * Write-only, '' removes it: the key status callbacks are signed with (the Meta app's secret; WAHA's webhook HMAC
     * key). Without it no callback is believed.
     */
    webhook_secret: z.string().max(500).optional(),
    /** Write-only, '' removes it: the Cloud API's verify token, echoed back when Meta checks the callback address. */
    webhook_verify_token: z.string().max(200).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.provider !== 'cloud_api' && !b.base_url) {
      ctx.addIssue({ code: 'custom', path: ['base_url'], message: 'Alamat gateway wajib diisi.' });
    }
    if (b.provider === 'cloud_api' && !b.phone_number_id) {
      ctx.addIssue({ code: 'custom', path: ['phone_number_id'], message: 'Phone number ID wajib diisi.' });
    }
  });

export const channelSettingsResponse = z.object({
  email: z.object({
    enabled: z.boolean(),
    host: z.string().nullable(),
    port: z.number().int().nullable(),
    secure: z.boolean(),
    user: z.string().nullable(),
    from_address: z.string().nullable(),
    from_name: z.string().nullable(),
    has_password: z.boolean(),
  }),
  wa_gateway: z.object({
    enabled: z.boolean(),
    provider: z.enum(GATEWAY_PROVIDERS),
    base_url: z.string().nullable(),
    session: z.string().nullable(),
    phone_number_id: z.string().nullable(),
    cloud_templates: z.partialRecord(z.enum(TEMPLATE_KEYS), cloudTemplateMapping),
    per_minute: z.number().int(),
    per_day: z.number().int(),
    min_gap_s: z.number().int(),
    max_gap_s: z.number().int(),
    quiet_from: z.string().nullable(),
    quiet_to: z.string().nullable(),
    has_token: z.boolean(),
    has_webhook_secret: z.boolean(),
    has_webhook_verify_token: z.boolean(),
    /** Where the provider posts delivered/read statuses (Cloud API and WAHA), to enter in its dashboard. */
    status_webhook_url: z.string().nullable(),
  }),
});
export type ChannelSettings = z.infer<typeof channelSettingsResponse>;

export const channelTestBody = z.object({
  channel: z.enum(['email', 'wa_gateway']),
  /** An email address or a phone number, per channel. */
  to: z.string().trim().min(3).max(254),
});
export const channelTestResponse = z.object({ ok: z.literal(true), provider_message_id: z.string().nullable() });

export const templateResponse = z.object({
  key: z.enum(TEMPLATE_KEYS),
  subject: z.string(),
  body: z.string(),
  customised: z.boolean(),
  default_subject: z.string(),
  default_body: z.string(),
});
export const templateListResponse = z.object({
  items: z.array(templateResponse),
  variables: z.array(z.enum(TEMPLATE_VARIABLES)),
});
export type MessageTemplate = z.infer<typeof templateResponse>;

export const templateBody = z.object({
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(4000),
});
export const templateKeyParams = z.object({ estate_id: z.string(), key: z.enum(TEMPLATE_KEYS) });

export const templatePreviewBody = templateBody.extend({ key: z.enum(TEMPLATE_KEYS) });
export const templatePreviewResponse = z.object({ subject: z.string(), text: z.string(), html: z.string() });

export const reminderBatchBody = z.object({
  unit_ids: z.array(z.string().max(64)).min(1).max(2000),
  /** True: answer what would be sent and write nothing. */
  preview: z.boolean().default(false),
});
export const reminderBatchResponse = z.object({
  preview: z.boolean(),
  items: z.array(
    z.object({
      unit_id: z.string(),
      unit_code: z.string(),
      resident_name: z.string(),
      channel: z.enum(MESSAGE_CHANNELS),
      amount: z.number().int(),
      text: z.string(),
    }),
  ),
  queued: z.number().int(),
});

export const preferencesBody = z.object({
  channels: z.array(z.enum(MESSAGE_CHANNELS)).max(4).nullable(),
  opted_out: z.boolean(),
});
export const preferencesResponse = z.object({
  resident_id: z.string(),
  channels: z.array(z.enum(MESSAGE_CHANNELS)).nullable(),
  opted_out: z.boolean(),
});

/** Which messages a delivery report covers: one cause (an announcement), or one template on one day of the estate. */
export const deliveryReportQuery = z.object({
  template_key: z.enum(TEMPLATE_KEYS).optional(),
  cause_id: z.string().max(64).optional(),
  /** The estate's calendar day the messages were queued on. */
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Format tanggal YYYY-MM-DD.')
    .optional(),
});

/** A channel's messages by status (delivery-report.ts `countStatus`); the announcement's report uses it too. */
export const statusCounts = z.object({
  queued: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});

export const deliveryReportResponse = z.object({
  channels: z.array(statusCounts.extend({ channel: z.enum(MESSAGE_CHANNELS), total: z.number().int() })),
  units_total: z.number().int(),
  /** Units none of whose messages has reached a resident yet. */
  not_reached: z.array(
    z.object({
      unit_id: z.string(),
      unit_code: z.string().nullable(),
      messages: z.array(
        z.object({ channel: z.enum(MESSAGE_CHANNELS), status: z.enum(MESSAGE_STATUSES), failure_reason: z.string().nullable() }),
      ),
    }),
  ),
});
export type DeliveryReport = z.infer<typeof deliveryReportResponse>;

export const statusWebhookAck = z.object({ received: z.literal(true), applied: z.number().int() });
export const cloudVerifyQuery = z.object({
  'hub.mode': z.string().max(50).optional(),
  'hub.verify_token': z.string().max(200).optional(),
  'hub.challenge': z.string().max(200).optional(),
});
