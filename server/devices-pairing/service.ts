import { AttemptLimiter } from '../gate/index.ts';
import { randomToken, sha256Hex } from '../auth/passwords.ts';
import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { BadRequestError, TooManyRequestsError } from '../http/errors.ts';
import { generatePairingCode, normalizePairingCode } from './pairing-code.ts';

const PAIRING_MINUTES = 15;

export interface DeviceRow {
  id: string;
  name: string;
  kind: string;
  pairing_expires_at: string | null;
  paired_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export function deviceView(row: DeviceRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    status: row.revoked_at ? 'revoked' : row.paired_at ? 'paired' : 'waiting',
    paired_at: row.paired_at,
    revoked_at: row.revoked_at,
    pairing_expires_at: row.pairing_expires_at,
    created_at: row.created_at,
  };
}

function pairingCodeFields() {
  const code = generatePairingCode();
  return {
    code,
    fields: {
      pairing_code_hash: sha256Hex(normalizePairingCode(code)),
      pairing_expires_at: new Date(Date.now() + PAIRING_MINUTES * 60_000).toISOString(),
    },
  };
}

export async function createDevice(store: ScopedStore, input: { name: string; kind: string }) {
  const { code, fields } = pairingCodeFields();
  const row = await store.insert<DeviceRow & Record<string, unknown>>('gate_devices', {
    name: input.name,
    kind: input.kind,
    ...fields,
    paired_at: null,
    revoked_at: null,
  });
  return { device: deviceView(row), pairing_code: code, pairing_expires_at: fields.pairing_expires_at };
}

/** A fresh pairing code for an existing device (a replaced tablet); its old token stops working once the new one pairs. */
export async function reissuePairingCode(store: ScopedStore, deviceId: string) {
  const { code, fields } = pairingCodeFields();
  const row = await store.update<DeviceRow & Record<string, unknown>>(
    'gate_devices',
    deviceId,
    { ...fields, revoked_at: null },
    'gate_devices.reissue_pairing_code',
  );
  return { device: deviceView(row), pairing_code: code, pairing_expires_at: fields.pairing_expires_at };
}

const pairingAttempts = new AttemptLimiter('pairing', {
  windowMs: 60_000,
  maxAttemptsPerWindow: 10,
  maxConsecutiveFailures: 10,
  lockoutMs: 15 * 60_000,
});

/** Exchanges a pairing code for the device's bearer token; the code works once. */
export async function pairDevice(store: ScopedStore, pairingCode: string, clientAddress: string) {
  const limiterKey = `${store.estateId}:${clientAddress}`;
  const decision = await pairingAttempts.begin(store.knex, limiterKey, Date.now());
  if (!decision.allowed) {
    throw new TooManyRequestsError('RATE_LIMITED', 'Terlalu banyak percobaan. Coba lagi nanti.', Math.ceil(decision.retryAfterMs / 1000));
  }
  const hash = sha256Hex(normalizePairingCode(pairingCode));
  const now = nowIso();
  const result = await store.transaction(async (tx) => {
    const device = (await tx
      .live('gate_devices')
      .where({ pairing_code_hash: hash })
      .whereNull('revoked_at')
      .where('pairing_expires_at', '>', now)
      .first()) as DeviceRow | undefined;
    if (!device) return undefined;
    const token = randomToken();
    // One live token per device: pairing again (a replaced tablet) cuts the old one off.
    await revokeDeviceTokens(tx, device.id, now);
    await tx.appendOnly('api_tokens', {
      kind: 'device',
      user_id: null,
      device_id: device.id,
      name: device.name,
      token_hash: sha256Hex(token),
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    });
    const paired = await tx.update<DeviceRow & Record<string, unknown>>(
      'gate_devices',
      device.id,
      { pairing_code_hash: null, pairing_expires_at: null, paired_at: now },
      'gate_devices.pair',
    );
    return { token, device: deviceView(paired) };
  });
  await pairingAttempts.finish(store.knex, limiterKey, Date.now(), Boolean(result));
  if (!result) throw new BadRequestError('PAIRING_CODE_INVALID', 'Kode pemasangan salah atau sudah kedaluwarsa.', 'pairing_code');
  return result;
}

async function revokeDeviceTokens(tx: ScopedStore, deviceId: string, now: string): Promise<void> {
  await tx.updateWhere(
    'api_tokens',
    (q) => q.where({ kind: 'device', device_id: deviceId }).whereNull('revoked_at'),
    { revoked_at: now },
    'api_tokens.revoke',
  );
}

export async function revokeDevice(store: ScopedStore, deviceId: string) {
  return store.transaction(async (tx) => {
    const now = nowIso();
    const row = await tx.update<DeviceRow & Record<string, unknown>>(
      'gate_devices',
      deviceId,
      { revoked_at: now, pairing_code_hash: null, pairing_expires_at: null },
      'gate_devices.revoke',
    );
    await revokeDeviceTokens(tx, deviceId, now);
    await tx.updateWhere(
      'gate_shifts',
      (q) => q.where({ device_id: deviceId }).whereNull('ended_at'),
      { ended_at: now, updated_at: now },
      'gate_shifts.end',
    );
    return deviceView(row);
  });
}

export async function listDevices(store: ScopedStore) {
  const rows = (await store.live('gate_devices').orderBy('created_at')) as DeviceRow[];
  return { items: rows.map(deviceView) };
}
