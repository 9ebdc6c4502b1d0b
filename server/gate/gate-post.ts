import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import type { PrinterConfig } from '../devices/printer-config.ts';
import { ConflictError, NotFoundError, TooManyRequestsError, UnauthenticatedError, ValidationError } from '../http/errors.ts';
import type { RequestContext } from '../http/route.ts';
import { AttemptLimiter } from './attempt-limiter.ts';
import { queryTemplate } from '../db/query-template.ts';

export interface GateRow {
  id: string;
  name: string;
  printer: string | null;
  created_at: string;
}

export function gateView(row: GateRow) {
  return {
    id: row.id,
    name: row.name,
    printer: row.printer ? (JSON.parse(row.printer) as PrinterConfig) : null,
    created_at: row.created_at,
  };
}

export async function createGate(store: ScopedStore, input: { name: string; printer?: PrinterConfig | null }) {
  const row = await store.insert<GateRow & Record<string, unknown>>('gates', {
    name: input.name,
    printer: input.printer ? JSON.stringify(input.printer) : null,
  });
  return gateView(row);
}

export async function updateGate(store: ScopedStore, gateId: string, input: { name?: string; printer?: PrinterConfig | null }) {
  const patch: Record<string, unknown> = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.printer !== undefined) patch.printer = input.printer ? JSON.stringify(input.printer) : null;
  return gateView(await store.update<GateRow & Record<string, unknown>>('gates', gateId, patch));
}

export async function listGates(store: ScopedStore) {
  return { items: ((await store.live('gates').orderBy('name')) as GateRow[]).map(gateView) };
}

export async function createGuard(store: ScopedStore, input: { name: string; pin: string }) {
  const row = await store.transaction(async (tx) => {
    const pin_hash = await hashPassword(input.pin);
    return tx.insert<{ id: string; name: string; created_at: string }>('gate_guards', { name: input.name, pin_hash });
  });
  return { id: row.id, name: row.name, created_at: row.created_at };
}

export async function listGuards(store: ScopedStore) {
  const rows = await store.live('gate_guards').orderBy('name').select('id', 'name');
  return { items: rows as { id: string; name: string }[] };
}

// A guard PIN is 4–8 digits: guessable without a lockout.
const pinAttempts = new AttemptLimiter('gate-pin', {
  windowMs: 60_000,
  maxAttemptsPerWindow: 10,
  maxConsecutiveFailures: 5,
  lockoutMs: 5 * 60_000,
});

export function requireDevice(ctx: RequestContext): string {
  const deviceId = ctx.auth?.via === 'device' ? ctx.auth.deviceId : undefined;
  if (!deviceId) throw new UnauthenticatedError('Shift jaga dimulai dari perangkat kios yang sudah dipasangkan.', 'DEVICE_REQUIRED');
  return deviceId;
}

export async function startShift(ctx: RequestContext, input: { gate_id: string; guard_id: string; pin: string }) {
  const store = ctx.store!;
  const deviceId = requireDevice(ctx);
  const key = `${store.estateId}:${deviceId}`;
  const decision = await pinAttempts.begin(store.knex, key, Date.now());
  if (!decision.allowed) {
    throw new TooManyRequestsError(
      'ACCOUNT_LOCKED',
      'Terlalu banyak PIN salah. Tunggu beberapa menit.',
      Math.ceil(decision.retryAfterMs / 1000),
    );
  }
  const gate = (await store.find<GateRow>('gates', input.gate_id)) ?? notFound('Gerbang');
  const guard = (await store.find<{ id: string; name: string; pin_hash: string }>('gate_guards', input.guard_id)) ?? notFound('Petugas');
  const ok = await verifyPassword(input.pin, guard.pin_hash);
  await pinAttempts.finish(store.knex, key, Date.now(), ok);
  if (!ok) throw new ValidationError('PIN salah.', 'pin', 'PIN_INCORRECT');
  const now = nowIso();
  const shift = await store.transaction(async (tx) => {
    // One open shift per device: the new guard's shift replaces whoever was still logged in.
    const open = await tx.query('gate_shifts').where({ device_id: deviceId }).whereNull('ended_at');
    for (const s of open) await tx.update('gate_shifts', s.id, { ended_at: now }, 'gate_shifts.end');
    return tx.insert<{ id: string; started_at: string }>(
      'gate_shifts',
      {
        device_id: deviceId,
        gate_id: gate.id,
        guard_id: guard.id,
        started_at: now,
        ended_at: null,
      },
      'gate_shifts.start',
    );
  });
  return { id: shift.id, started_at: shift.started_at, gate: { id: gate.id, name: gate.name }, guard: { id: guard.id, name: guard.name } };
}

function notFound(what: string): never {
  throw new NotFoundError(what);
}

export interface GatePost {
  gate: { id: string; name: string; printer: PrinterConfig | null };
  guard: { id: string | null; name: string };
  deviceId: string | null;
  shiftId: string | null;
}

interface OpenShift {
  id: string;
  started_at: string;
  gate_id: string;
  gate_name: string;
  printer: string | null;
  guard_id: string;
  guard_name: string;
}

// Every kiosk scan asks this first (see queryTemplate).
const openShiftQuery = queryTemplate<'estateId' | 'deviceId'>((knex, p) =>
  knex('gate_shifts')
    .join('gates', 'gates.id', 'gate_shifts.gate_id')
    .join('gate_guards', 'gate_guards.id', 'gate_shifts.guard_id')
    .where('gate_shifts.estate_id', p.estateId)
    .where('gate_shifts.device_id', p.deviceId)
    .whereNull('gate_shifts.ended_at')
    .first(
      'gate_shifts.id',
      'gate_shifts.started_at',
      'gates.id as gate_id',
      'gates.name as gate_name',
      'gates.printer',
      'gate_guards.id as guard_id',
      'gate_guards.name as guard_name',
    ),
);

async function openShiftOf(store: ScopedStore, deviceId: string): Promise<OpenShift | undefined> {
  const [shift] = await store.select<OpenShift>(openShiftQuery, { deviceId });
  return shift;
}

export async function currentShift(ctx: RequestContext) {
  const shift = await openShiftOf(ctx.store!, requireDevice(ctx));
  if (!shift) return { shift: null };
  return {
    shift: {
      id: shift.id,
      started_at: shift.started_at,
      gate: { id: shift.gate_id, name: shift.gate_name },
      guard: { id: shift.guard_id, name: shift.guard_name },
    },
  };
}

/** Ends this kiosk's open shift; answers the device whose handover follows (the ended shift is its newest). */
export async function endShift(ctx: RequestContext): Promise<{ deviceId: string; ended: boolean }> {
  const store = ctx.store!;
  const deviceId = requireDevice(ctx);
  const shift = await openShiftOf(store, deviceId);
  if (shift) await store.update('gate_shifts', shift.id, { ended_at: nowIso() }, 'gate_shifts.end');
  return { deviceId, ended: Boolean(shift) };
}

/**
 * Who is acting at which gate. A kiosk acts through its open shift (so every log row names guard and gate); a guard or
 * administrator signed in with their own account names the gate in the request and is the guard themselves.
 */
export async function gatePost(ctx: RequestContext, gateId: string | undefined): Promise<GatePost> {
  const store = ctx.store!;
  if (ctx.auth?.via === 'device') {
    const deviceId = ctx.auth.deviceId!;
    const shift = await openShiftOf(store, deviceId);
    if (!shift) throw new ConflictError('SHIFT_REQUIRED', 'Mulai shift jaga dengan PIN terlebih dahulu.');
    if (gateId && gateId !== shift.gate_id)
      throw new ConflictError('GATE_MISMATCH', 'Perangkat ini sedang bertugas di gerbang lain.', 'gate_id');
    return {
      gate: { id: shift.gate_id, name: shift.gate_name, printer: shift.printer ? JSON.parse(shift.printer) : null },
      guard: { id: shift.guard_id, name: shift.guard_name },
      deviceId,
      shiftId: shift.id,
    };
  }
  if (!gateId) throw new ValidationError('Pilih gerbang.', 'gate_id');
  const gate = await store.find<GateRow>('gates', gateId);
  if (!gate) throw new NotFoundError('Gerbang');
  const user = ctx.actor.userId ? await store.knex('users').where({ id: ctx.actor.userId }).first('name') : undefined;
  return {
    gate: { id: gate.id, name: gate.name, printer: gate.printer ? JSON.parse(gate.printer) : null },
    guard: { id: null, name: user?.name ?? '-' },
    deviceId: null,
    shiftId: null,
  };
}
