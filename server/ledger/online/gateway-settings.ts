import type { z } from 'zod';
import type { ScopedStore } from '../../db/scoped-store.ts';
import { ConflictError } from '../../http/errors.ts';
import { openSecret, sealSecret, secretsKey } from '../../secrets/index.ts';
import type { PaymentGateway } from './gateway.ts';
import type { GatewaySettings, gatewaySettingsBody } from './schemas.ts';
import { XenditGateway } from './xendit-gateway.ts';

export interface GatewayRow {
  id: string;
  provider: string;
  enabled: boolean | number;
  base_url: string | null;
  methods: string;
  fee_bearer: string;
  secret_key_enc: string | null;
  callback_token_enc: string | null;
  updated_at: string;
}

/** What a sealed value is bound to: another estate's or another field's ciphertext does not open here. */
const sealContext = (estateId: string, provider: string, field: string) => `payment_gateways:${estateId}:${provider}:${field}`;

export async function gatewayRow(store: ScopedStore, provider = 'xendit'): Promise<GatewayRow | undefined> {
  return (await store.live('payment_gateways').where('payment_gateways.provider', provider).first()) as GatewayRow | undefined;
}

export function gatewayView(row: GatewayRow | undefined, provider = 'xendit'): GatewaySettings {
  if (!row) {
    return {
      provider: provider as 'xendit',
      enabled: false,
      base_url: null,
      methods: ['qris'],
      fee_bearer: 'estate',
      has_secret_key: false,
      has_callback_token: false,
      updated_at: null,
    };
  }
  return {
    provider: row.provider as 'xendit',
    enabled: Boolean(row.enabled),
    base_url: row.base_url,
    methods: JSON.parse(row.methods),
    fee_bearer: row.fee_bearer as GatewaySettings['fee_bearer'],
    has_secret_key: Boolean(row.secret_key_enc),
    has_callback_token: Boolean(row.callback_token_enc),
    updated_at: row.updated_at,
  };
}

export async function saveGatewaySettings(
  store: ScopedStore,
  dataDir: string,
  body: z.infer<typeof gatewaySettingsBody>,
): Promise<GatewaySettings> {
  const key = secretsKey(dataDir);
  return store.transaction(async (tx) => {
    const existing = await gatewayRow(tx, body.provider);
    const seal = (field: string, value: string | undefined, stored: string | null | undefined) =>
      value === undefined ? (stored ?? null) : sealSecret(key, value, sealContext(tx.estateId, body.provider, field));
    const values = {
      provider: body.provider,
      enabled: body.enabled,
      base_url: body.base_url ?? null,
      methods: JSON.stringify([...new Set(body.methods)]),
      fee_bearer: body.fee_bearer,
      secret_key_enc: seal('secret_key', body.secret_key, existing?.secret_key_enc),
      callback_token_enc: seal('callback_token', body.callback_token, existing?.callback_token_enc),
    };
    // Switched on without the keys it needs, it would take residents' charges it cannot create or confirm.
    if (values.enabled && (!values.secret_key_enc || !values.callback_token_enc)) {
      throw new ConflictError(
        'GATEWAY_KEYS_MISSING',
        'Isi secret key dan callback token sebelum mengaktifkan pembayaran online.',
        'enabled',
      );
    }
    const row = existing
      ? await tx.update<GatewayRow>('payment_gateways', existing.id, values, 'payment_gateways.update')
      : await tx.insert<GatewayRow>('payment_gateways', { ...values, deleted_at: null }, 'payment_gateways.create');
    return gatewayView(row);
  });
}

export interface ConfiguredGateway {
  row: GatewayRow;
  gateway: PaymentGateway;
  callbackToken: string;
  methods: string[];
}

/** The estate's gateway with its secrets opened; 409 when it has no usable keys (or they were sealed elsewhere). */
export async function configuredGateway(
  store: ScopedStore,
  dataDir: string,
  opts: { provider?: string; requireEnabled?: boolean } = {},
): Promise<ConfiguredGateway> {
  const provider = opts.provider ?? 'xendit';
  const row = await gatewayRow(store, provider);
  if (!row || (opts.requireEnabled !== false && !row.enabled)) {
    throw new ConflictError('GATEWAY_NOT_ENABLED', 'Pembayaran online belum diaktifkan oleh pengurus.');
  }
  const key = secretsKey(dataDir);
  const secretKey = row.secret_key_enc ? openSecret(key, row.secret_key_enc, sealContext(store.estateId, provider, 'secret_key')) : null;
  const callbackToken = row.callback_token_enc
    ? openSecret(key, row.callback_token_enc, sealContext(store.estateId, provider, 'callback_token'))
    : null;
  if (!secretKey || !callbackToken) {
    throw new ConflictError('GATEWAY_KEYS_MISSING', 'Isi secret key dan callback token sebelum mengaktifkan pembayaran online.');
  }
  return { row, gateway: new XenditGateway({ secretKey, baseUrl: row.base_url }), callbackToken, methods: JSON.parse(row.methods) };
}
