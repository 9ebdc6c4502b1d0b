import type { z } from 'zod';
import { nowIso } from '../../db/clock.ts';
import type { ScopedStore } from '../../db/scoped-store.ts';
import { ConflictError } from '../../http/errors.ts';
import { openSecret, sealSecret, secretsKey } from '../../secrets/index.ts';
import type { PaymentGateway } from './gateway.ts';
import { MidtransGateway } from './midtrans-gateway.ts';
import type { GatewaySettings, gatewaySettingsBody } from './schemas.ts';
import { XenditGateway } from './xendit-gateway.ts';
import { vaFeeFor } from './gateway-fee.ts';
import { VA_BANKS } from './gateway.ts';

export interface GatewayRow {
  id: string;
  provider: string;
  enabled: boolean | number;
  base_url: string | null;
  /** Midtrans only: Snap's address (the Core API's is `base_url`). */
  snap_base_url?: string | null;
  methods: string;
  va_banks?: string | null;
  ewallet_channels?: string | null;
  fee_bearer: string;
  /** JSON `{ bank: rupiah }`: the estate's own fee per transfer into a virtual account at that bank. */
  va_fees?: string | null;
  secret_key_enc: string | null;
  callback_token_enc: string | null;
  updated_at: string;
}

/** What a sealed value is bound to: another estate's or another field's ciphertext does not open here. */
const sealContext = (estateId: string, provider: string, field: string) => `payment_gateways:${estateId}:${provider}:${field}`;

/**
 * The estate's row for `provider`; without one, the estate's gateway: the one switched on (saving one on switches the
 * others off), else the one saved last.
 */
export async function gatewayRow(store: ScopedStore, provider?: string): Promise<GatewayRow | undefined> {
  if (provider) {
    return (await store.live('payment_gateways').where('payment_gateways.provider', provider).first()) as GatewayRow | undefined;
  }
  const rows = (await store.live('payment_gateways').orderBy([
    { column: 'updated_at', order: 'desc' },
    { column: 'id', order: 'desc' },
  ])) as GatewayRow[];
  return rows.find((r) => Boolean(r.enabled)) ?? rows[0];
}

/** A provider's client with its opened secret key. */
function gatewayFor(row: GatewayRow, secretKey: string): PaymentGateway {
  if (row.provider === 'midtrans') {
    return new MidtransGateway({
      serverKey: secretKey,
      baseUrl: row.base_url,
      snapBaseUrl: row.snap_base_url,
      methods: JSON.parse(row.methods),
    });
  }
  return new XenditGateway({ secretKey, baseUrl: row.base_url });
}

/** The stored fee per bank as written, without the defaults. */
export function storedVaFees(row: Pick<GatewayRow, 'va_fees'> | undefined): Record<string, number> {
  return row?.va_fees ? (JSON.parse(row.va_fees) as Record<string, number>) : {};
}

/** The fee per transfer at every bank: the estate's own figure, else the standard one. */
export function vaFeesView(row: Pick<GatewayRow, 'va_fees'> | undefined): GatewaySettings['va_fees'] {
  const stored = storedVaFees(row);
  return Object.fromEntries(VA_BANKS.map((bank) => [bank, vaFeeFor(stored, bank)])) as GatewaySettings['va_fees'];
}

/** Midtrans signs its notifications with the server key; only Xendit has a callback token of its own. */
const needsCallbackToken = (provider: string) => provider !== 'midtrans';

export function gatewayView(row: GatewayRow | undefined, provider = 'xendit'): GatewaySettings {
  if (!row) {
    return {
      provider: provider as 'xendit',
      enabled: false,
      base_url: null,
      snap_base_url: null,
      methods: ['qris'],
      va_banks: [],
      ewallet_channels: [],
      fee_bearer: 'estate',
      va_fees: vaFeesView(undefined),
      has_secret_key: false,
      has_callback_token: false,
      updated_at: null,
    };
  }
  return {
    provider: row.provider as 'xendit',
    enabled: Boolean(row.enabled),
    base_url: row.base_url,
    snap_base_url: row.snap_base_url ?? null,
    methods: JSON.parse(row.methods),
    va_banks: row.va_banks ? JSON.parse(row.va_banks) : [],
    ewallet_channels: row.ewallet_channels ? JSON.parse(row.ewallet_channels) : [],
    fee_bearer: row.fee_bearer as GatewaySettings['fee_bearer'],
    va_fees: vaFeesView(row),
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
      snap_base_url: body.snap_base_url ?? null,
      methods: JSON.stringify([...new Set(body.methods)]),
      va_banks: JSON.stringify([...new Set(body.va_banks ?? [])]),
      ewallet_channels: JSON.stringify([...new Set(body.ewallet_channels ?? [])]),
      fee_bearer: body.fee_bearer,
      // Left out, the stored fees stay (like the secrets): a client that does not know them does not reset them.
      va_fees: JSON.stringify(body.va_fees ? { ...storedVaFees(existing), ...body.va_fees } : storedVaFees(existing)),
      secret_key_enc: seal('secret_key', body.secret_key, existing?.secret_key_enc),
      callback_token_enc: seal('callback_token', body.callback_token, existing?.callback_token_enc),
    };
    // Switched on without the keys it needs, it would take residents' charges it cannot create or confirm.
    if (values.enabled && (!values.secret_key_enc || (needsCallbackToken(body.provider) && !values.callback_token_enc))) {
      throw new ConflictError(
        'GATEWAY_KEYS_MISSING',
        'Isi secret key dan callback token sebelum mengaktifkan pembayaran online.',
        'enabled',
      );
    }
    const row = existing
      ? await tx.update<GatewayRow>('payment_gateways', existing.id, values, 'payment_gateways.update')
      : await tx.insert<GatewayRow>('payment_gateways', { ...values, deleted_at: null }, 'payment_gateways.create');
    // One gateway takes residents' charges: switching one on switches the other off. Its open charges are still
    // confirmed and reconciled through their own provider.
    if (values.enabled) {
      await tx.updateWhere(
        'payment_gateways',
        (q) => q.whereNot('payment_gateways.provider', body.provider).where('payment_gateways.enabled', true),
        { enabled: false, updated_at: nowIso() },
        'payment_gateways.update',
      );
    }
    return gatewayView(row);
  });
}

export interface ConfiguredGateway {
  row: GatewayRow;
  gateway: PaymentGateway;
  /** The secret key (Xendit) or server key (Midtrans, which signs its notifications with it). */
  secretKey: string;
  /** Xendit's callback token; Midtrans has none. */
  callbackToken: string | null;
  methods: string[];
  vaBanks: string[];
  ewalletChannels: string[];
}

/**
 * Opened secrets and the provider's client, kept per estate and provider for as long as the row's sealed values,
 * addresses and methods stay the same: every callback and charge asks for them, and opening two sealed values and
 * building the client each time was a tenth of a payment callback's work. The row is still read each time, so a
 * change saved by any server process is used at once.
 */
interface OpenedGateway {
  fingerprint: string;
  key: Buffer;
  secretKey: string | null;
  callbackToken: string | null;
  gateway: PaymentGateway | null;
}
const openedByEstate = new Map<string, OpenedGateway>();
const OPENED_KEPT = 500;

function openedGateway(estateId: string, provider: string, row: GatewayRow, key: Buffer): OpenedGateway {
  const id = `${estateId}:${provider}`;
  const fingerprint = JSON.stringify([
    row.provider,
    row.secret_key_enc,
    row.callback_token_enc,
    row.base_url,
    row.snap_base_url ?? null,
    row.methods,
  ]);
  const known = openedByEstate.get(id);
  if (known && known.fingerprint === fingerprint && known.key === key) return known;
  const secretKey = row.secret_key_enc ? openSecret(key, row.secret_key_enc, sealContext(estateId, provider, 'secret_key')) : null;
  const callbackToken = row.callback_token_enc
    ? openSecret(key, row.callback_token_enc, sealContext(estateId, provider, 'callback_token'))
    : null;
  const fresh = { fingerprint, key, secretKey, callbackToken, gateway: secretKey ? gatewayFor(row, secretKey) : null };
  openedByEstate.delete(id);
  if (openedByEstate.size >= OPENED_KEPT) openedByEstate.delete(openedByEstate.keys().next().value as string);
  openedByEstate.set(id, fresh);
  return fresh;
}

/** The estate's gateway with its secrets opened; 409 when it has no usable keys (or they were sealed elsewhere). */
export async function configuredGateway(
  store: ScopedStore,
  dataDir: string,
  opts: { provider?: string; requireEnabled?: boolean } = {},
): Promise<ConfiguredGateway> {
  const row = await gatewayRow(store, opts.provider);
  const provider = row?.provider ?? opts.provider ?? 'xendit';
  if (!row || (opts.requireEnabled !== false && !row.enabled)) {
    throw new ConflictError('GATEWAY_NOT_ENABLED', 'Pembayaran online belum diaktifkan oleh pengurus.');
  }
  const opened = openedGateway(store.estateId, provider, row, secretsKey(dataDir));
  const { secretKey, callbackToken } = opened;
  if (!secretKey || (needsCallbackToken(provider) && !callbackToken)) {
    throw new ConflictError('GATEWAY_KEYS_MISSING', 'Isi secret key dan callback token sebelum mengaktifkan pembayaran online.');
  }
  return {
    row,
    gateway: opened.gateway ?? gatewayFor(row, secretKey),
    secretKey,
    callbackToken,
    methods: JSON.parse(row.methods),
    vaBanks: row.va_banks ? JSON.parse(row.va_banks) : [],
    ewalletChannels: row.ewallet_channels ? JSON.parse(row.ewallet_channels) : [],
  };
}
