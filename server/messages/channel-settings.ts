import type { z } from 'zod';
import { queryTemplate } from '../db/query-template.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError } from '../http/errors.ts';
import { openSecret, sealSecret, secretsKey } from '../secrets/index.ts';
import { CLOUD_API_DEFAULT_BASE_URL, type ChannelSettings, type emailChannelBody, type gatewayChannelBody } from './schemas.ts';
import { DEFAULT_SENDING_RULES, type SendingRules } from './sending-window.ts';
import type { EmailAccount, GatewayAccount } from './transports.ts';

/**
 * An estate's channel accounts (`message_channels`): SMTP for email, a WhatsApp gateway. The password or token is
 * sealed (secrets/) bound to the estate and channel, and never answered by the API.
 */
interface ChannelRow {
  id: string;
  channel: 'email' | 'wa_gateway';
  provider: string;
  enabled: boolean | number;
  settings: string;
  secret_enc: string | null;
}

const sealContext = (estateId: string, channel: string) => `message_channels:${estateId}:${channel}`;

async function channelRow(store: ScopedStore, channel: 'email' | 'wa_gateway'): Promise<ChannelRow | undefined> {
  return (await store.live('message_channels').where('message_channels.channel', channel).first()) as ChannelRow | undefined;
}

export async function channelSettings(store: ScopedStore): Promise<ChannelSettings> {
  const email = await channelRow(store, 'email');
  const gateway = await channelRow(store, 'wa_gateway');
  const e = email ? JSON.parse(email.settings) : {};
  const g = gateway ? { ...DEFAULT_SENDING_RULES, ...JSON.parse(gateway.settings) } : DEFAULT_SENDING_RULES;
  return {
    email: {
      enabled: Boolean(email?.enabled),
      host: e.host ?? null,
      port: e.port ?? null,
      secure: Boolean(e.secure),
      user: e.user ?? null,
      from_address: e.from_address ?? null,
      from_name: e.from_name ?? null,
      has_password: Boolean(email?.secret_enc),
    },
    wa_gateway: {
      enabled: Boolean(gateway?.enabled),
      provider: (gateway?.provider as GatewayAccount['provider']) ?? 'fonnte',
      base_url: g.base_url ?? null,
      session: g.session ?? null,
      phone_number_id: g.phone_number_id ?? null,
      cloud_templates: g.cloud_templates ?? {},
      per_minute: g.per_minute,
      per_day: g.per_day,
      min_gap_s: g.min_gap_s,
      max_gap_s: g.max_gap_s,
      quiet_from: g.quiet_from,
      quiet_to: g.quiet_to,
      has_token: Boolean(gateway?.secret_enc),
      has_webhook_secret: Boolean(g.webhook_secret_enc),
      has_webhook_verify_token: Boolean(g.webhook_verify_token_enc),
      status_webhook_url: null,
    },
  };
}

async function saveChannel(
  store: ScopedStore,
  dataDir: string,
  channel: 'email' | 'wa_gateway',
  provider: string,
  enabled: boolean,
  settings: Record<string, unknown>,
  secret: string | undefined,
  /** Settings sealed inside the JSON (the status webhook's keys): undefined keeps the stored one, '' removes it. */
  sealedSettings: Record<string, string | undefined> = {},
): Promise<ChannelSettings> {
  const key = secretsKey(dataDir);
  return store.transaction(async (tx) => {
    const existing = await channelRow(tx, channel);
    const stored = existing ? (JSON.parse(existing.settings) as Record<string, unknown>) : {};
    for (const [name, value] of Object.entries(sealedSettings)) {
      const field = `${name}_enc`;
      if (value === undefined) {
        if (typeof stored[field] === 'string') settings[field] = stored[field];
      } else if (value !== '') settings[field] = sealSecret(key, value, sealContext(tx.estateId, `${channel}:${name}`));
    }
    const secretEnc =
      secret === undefined
        ? (existing?.secret_enc ?? null)
        : secret === ''
          ? null
          : sealSecret(key, secret, sealContext(tx.estateId, channel));
    if (enabled && channel === 'wa_gateway' && !secretEnc) {
      throw new ConflictError('MESSAGE_CHANNEL_SECRET_MISSING', 'Isi token gateway WhatsApp sebelum mengaktifkannya.', 'token');
    }
    const values = { channel, provider, enabled, settings: JSON.stringify(settings), secret_enc: secretEnc };
    if (existing) await tx.update('message_channels', existing.id, values, 'message_channels.update');
    else await tx.insert('message_channels', { ...values, deleted_at: null }, 'message_channels.create');
    return channelSettings(tx);
  });
}

export function saveEmailChannel(store: ScopedStore, dataDir: string, body: z.infer<typeof emailChannelBody>) {
  const { enabled, password, ...settings } = body;
  return saveChannel(store, dataDir, 'email', 'smtp', enabled, settings, password);
}

export function saveGatewayChannel(store: ScopedStore, dataDir: string, body: z.infer<typeof gatewayChannelBody>) {
  const { enabled, token, provider, webhook_secret, webhook_verify_token, ...settings } = body;
  if (settings.max_gap_s < settings.min_gap_s) settings.max_gap_s = settings.min_gap_s;
  if (provider === 'cloud_api') settings.base_url = settings.base_url || CLOUD_API_DEFAULT_BASE_URL;
  return saveChannel(store, dataDir, 'wa_gateway', provider, enabled, settings, token, {
    webhook_secret,
    webhook_verify_token,
  });
}

function opened(store: ScopedStore, dataDir: string, row: ChannelRow): string | null {
  if (!row.secret_enc) return null;
  return openSecret(secretsKey(dataDir), row.secret_enc, sealContext(store.estateId, row.channel));
}

/** The estate's SMTP account when switched on (or `force`: the office's test send), else null. */
export async function emailAccount(store: ScopedStore, dataDir: string, force = false): Promise<EmailAccount | null> {
  const row = await channelRow(store, 'email');
  if (!row || (!row.enabled && !force)) return null;
  const s = JSON.parse(row.settings);
  return {
    host: s.host,
    port: s.port,
    secure: Boolean(s.secure),
    user: s.user ?? null,
    password: opened(store, dataDir, row),
    from_address: s.from_address,
    from_name: s.from_name ?? null,
  };
}

export async function gatewayAccount(
  store: ScopedStore,
  dataDir: string,
  force = false,
): Promise<{ account: GatewayAccount; rules: SendingRules } | null> {
  const row = await channelRow(store, 'wa_gateway');
  if (!row || (!row.enabled && !force)) return null;
  const s = { ...DEFAULT_SENDING_RULES, ...JSON.parse(row.settings) };
  const token = opened(store, dataDir, row);
  if (!token) return null;
  return {
    account: {
      provider: row.provider === 'waha' || row.provider === 'cloud_api' ? row.provider : 'fonnte',
      base_url: s.base_url,
      token,
      session: s.session ?? null,
      phone_number_id: s.phone_number_id ?? null,
      cloud_templates: s.cloud_templates ?? {},
    },
    rules: {
      quiet_from: s.quiet_from,
      quiet_to: s.quiet_to,
      per_minute: s.per_minute,
      per_day: s.per_day,
      min_gap_s: s.min_gap_s,
      max_gap_s: s.max_gap_s,
    },
  };
}

// Read on every message queued, so on every payment: compiled once (db/query-template.ts).
const enabledChannelsQuery = queryTemplate<'estateId'>((knex, p) =>
  knex('message_channels').where({ estate_id: p.estateId }).whereNull('deleted_at').select('channel', 'enabled'),
);

/** Which channels are switched on, for choosing a resident's default channel. */
export async function enabledChannels(store: ScopedStore): Promise<{ email: boolean; wa_gateway: boolean }> {
  const rows = await store.select<Pick<ChannelRow, 'channel' | 'enabled'>>(enabledChannelsQuery, {});
  const on = (c: string) => rows.some((r) => r.channel === c && Boolean(r.enabled));
  return { email: on('email'), wa_gateway: on('wa_gateway') };
}

/**
 * The keys an estate's WhatsApp status callbacks are checked with, and which provider sends them; null when the
 * gateway is not a provider that reports statuses. A gateway switched off later still reports on what it sent.
 */
export async function statusWebhookKeys(
  store: ScopedStore,
  dataDir: string,
): Promise<{ provider: GatewayAccount['provider']; secret: string | null; verifyToken: string | null } | null> {
  const row = await channelRow(store, 'wa_gateway');
  if (!row) return null;
  const s = JSON.parse(row.settings) as Record<string, unknown>;
  const open = (name: string) => {
    const sealed = s[`${name}_enc`];
    return typeof sealed === 'string' ? openSecret(secretsKey(dataDir), sealed, sealContext(store.estateId, `wa_gateway:${name}`)) : null;
  };
  const provider = row.provider === 'waha' || row.provider === 'cloud_api' ? row.provider : 'fonnte';
  return { provider, secret: open('webhook_secret'), verifyToken: open('webhook_verify_token') };
}

/** Where the estate's provider posts statuses, on the installation's public address (null for Fonnte). */
export function withStatusWebhookUrl(settings: ChannelSettings, publicUrl: string, estateId: string): ChannelSettings {
  const path = settings.wa_gateway.provider === 'cloud_api' ? 'whatsapp-cloud' : settings.wa_gateway.provider === 'waha' ? 'waha' : null;
  const url = path ? `${publicUrl.replace(/\/+$/, '')}/api/v1/estates/${estateId}/webhooks/${path}` : null;
  return { ...settings, wa_gateway: { ...settings.wa_gateway, status_webhook_url: url } };
}
