import QRCode from 'qrcode';
import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import { generatePassCode, type PassKind } from './pass-codes.ts';
import { encodeSignedToken } from './pass-payload.ts';
import { passRejection, type RejectionReason } from './pass-verdict.ts';
import { estateToday } from '../calendar/calendar.ts';
import { livesIn } from '../residency/index.ts';
import type { PassCreateInput, PassListQuery } from './schemas.ts';
import { estateKeys } from './signing-keys.ts';
import { guestInvitationText, guestPassLink, whatsappLink } from './whatsapp-link.ts';

export const RESIDENT_PASS_DAYS = 30;
const DAY_MS = 86_400_000;
const MAX_WINDOW_DAYS = 366;

export type PassRow = {
  id: string;
  estate_id: string;
  kind: PassKind;
  unit_id: string;
  resident_id: string | null;
  name: string;
  phone: string | null;
  plate: string | null;
  purpose: string | null;
  people: number;
  valid_from: string;
  valid_until: string;
  max_uses: number | null;
  uses: number;
  code: string;
  created_via: string;
  created_by: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
  created_at: string;
  updated_at: string;
};

export interface EstateInfo {
  id: string;
  name: string;
  timezone: string;
}

/** What a pass's holder gets also names the address phones open, for the link in the guest's message. */
export type PassViewContext = EstateInfo & { publicUrl: string };

export function passStatus(pass: PassRow, now = nowIso()): RejectionReason | 'active' {
  return passRejection(pass, now, 'in') ?? 'active';
}

/** The JSON shape of a pass: the row plus what a holder needs to use it (QR payload, image URL, WhatsApp link). */
export async function passView(store: ScopedStore, estate: PassViewContext, pass: PassRow, unitCode?: string) {
  const keys = await estateKeys(store);
  const qrPayload = encodeSignedToken({ subject: 'pass', estateId: store.estateId, subjectId: pass.id }, keys.privateKeyPem);
  const code = unitCode ?? (await store.query('units').where('id', pass.unit_id).first('code'))?.code ?? '';
  const text = guestInvitationText({
    estateName: estate.name,
    guestName: pass.name,
    unitCode: code,
    code: pass.code,
    validFrom: pass.valid_from,
    validUntil: pass.valid_until,
    timezone: estate.timezone,
    passLink: guestPassLink(estate.publicUrl, qrPayload),
  });
  // The guard post's view plus what only the office and the holder get: the credential and the ways to reach them.
  return {
    ...gatePassView(pass, code),
    resident_id: pass.resident_id,
    phone: pass.phone,
    code: pass.code,
    qr_payload: qrPayload,
    qr_image_url: `/api/v1/estates/${store.estateId}/passes/${pass.id}/qr.png`,
    whatsapp_url: pass.kind === 'resident' ? null : whatsappLink(pass.phone, text),
  };
}
export type PassView = Awaited<ReturnType<typeof passView>>;

/**
 * What the guard post sees of a pass: enough to recognise an expected guest (name, plate, unit, purpose, window) and
 * nothing that would let someone in (the signed QR payload, the typed code) or reach the holder (phone, WhatsApp link).
 * The kiosk gets verdicts from scans; it never needs a credential.
 */
export function gatePassView(pass: PassRow, unitCode: string) {
  return {
    id: pass.id,
    kind: pass.kind,
    unit_id: pass.unit_id,
    unit_code: unitCode,
    name: pass.name,
    plate: pass.plate,
    purpose: pass.purpose,
    people: pass.people,
    valid_from: pass.valid_from,
    valid_until: pass.valid_until,
    max_uses: pass.max_uses,
    uses: pass.uses,
    status: passStatus(pass),
    revoked_at: pass.revoked_at,
    revoked_reason: pass.revoked_reason,
    created_via: pass.created_via,
    created_at: pass.created_at,
  };
}

function resolveWindow(kind: PassKind, input: { valid_from?: string; valid_until?: string }, now: Date) {
  if (kind === 'resident') {
    return { valid_from: now.toISOString(), valid_until: new Date(now.getTime() + RESIDENT_PASS_DAYS * DAY_MS).toISOString() };
  }
  const from = input.valid_from ?? now.toISOString();
  // A guest without an end time gets the rest of a day: long enough for a visit, short enough not to linger.
  const until = input.valid_until ?? new Date(new Date(from).getTime() + DAY_MS).toISOString();
  if (until <= from) throw new ValidationError('Waktu selesai harus setelah waktu mulai.', 'valid_until');
  if (new Date(until).getTime() - new Date(from).getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw new ValidationError(`Masa berlaku paling lama ${MAX_WINDOW_DAYS} hari.`, 'valid_until');
  }
  return { valid_from: from, valid_until: until };
}

function defaultMaxUses(kind: PassKind, given: number | null | undefined): number | null {
  if (given !== undefined) return kind === 'resident' ? null : given;
  // Guests: one entry unless the host says otherwise; temporary codes for a day's work: a few entries.
  if (kind === 'guest') return 1;
  if (kind === 'temporary') return 3;
  return null;
}

/** A code no pass still usable in this estate carries, so a typed code always names one pass. */
async function freshCode(store: ScopedStore, kind: PassKind, now: string): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = generatePassCode(kind);
    const clash = await store.query('passes').where({ code }).whereNull('revoked_at').where('valid_until', '>', now).first('id');
    if (!clash) return code;
  }
  throw new ConflictError('CODE_SPACE_EXHAUSTED', 'Tidak dapat membuat kode unik; coba lagi.');
}

export async function createPass(
  store: ScopedStore,
  input: PassCreateInput,
  origin: { via: 'office' | 'portal' | 'system'; userId: string | null },
): Promise<PassRow> {
  const now = new Date();
  return store.transaction(async (tx) => {
    const unit = await tx.live('units').where('id', input.unit_id).first('id');
    if (!unit) throw new ValidationError('Unit tidak ditemukan.', 'unit_id', 'UNIT_NOT_FOUND');
    let residentId: string | null = null;
    if (input.kind === 'resident') {
      if (!input.resident_id) throw new ValidationError('Pilih warga pemegang kartu.', 'resident_id');
      if (!(await livesIn(tx, input.resident_id, input.unit_id, estateToday(await tx.timezone(), now)))) {
        throw new ValidationError('Warga ini tidak tinggal di unit tersebut.', 'resident_id', 'NOT_A_RESIDENT');
      }
      residentId = input.resident_id;
    }
    const window = resolveWindow(input.kind, input, now);
    // The guard post's list of expected guests and the unit's own pass list change.
    await tx.announce('passes', input.unit_id);
    return tx.insert<PassRow>('passes', {
      kind: input.kind,
      unit_id: input.unit_id,
      resident_id: residentId,
      name: input.name,
      phone: input.phone ?? null,
      plate: input.plate || null,
      purpose: input.purpose ?? null,
      people: input.people,
      ...window,
      max_uses: defaultMaxUses(input.kind, input.max_uses),
      uses: 0,
      code: await freshCode(tx, input.kind, now.toISOString()),
      created_via: origin.via,
      created_by: origin.userId,
      revoked_at: null,
      revoked_reason: null,
    });
  });
}

export async function revokePass(store: ScopedStore, passId: string, reason: string, onlyUnitId?: string): Promise<PassRow> {
  return store.transaction(async (tx) => {
    const pass = await tx.get<PassRow>('passes', passId, 'Kartu akses');
    if (onlyUnitId && pass.unit_id !== onlyUnitId) throw new NotFoundError('Kartu akses');
    if (pass.revoked_at) return pass;
    await tx.announce('passes', pass.unit_id);
    return tx.update<PassRow>('passes', passId, { revoked_at: nowIso(), revoked_reason: reason }, 'passes.revoke');
  });
}

export async function listPasses(store: ScopedStore, query: PassListQuery) {
  const now = nowIso();
  const base = store.live('passes').leftJoin('units', 'units.id', 'passes.unit_id');
  if (query.kind) base.where('passes.kind', query.kind);
  if (query.unit_id) base.where('passes.unit_id', query.unit_id);
  if (query.q) {
    const like = `%${query.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    // lower() on both sides: LIKE ignores case on SQLite but not on PostgreSQL.
    base.where((q) =>
      q
        .whereRaw("lower(passes.name) like lower(?) escape '\\'", [like])
        .orWhereRaw("lower(passes.plate) like lower(?) escape '\\'", [like])
        .orWhere('passes.code', query.q!),
    );
  }
  if (query.active === 'true') base.whereNull('passes.revoked_at').where('passes.valid_until', '>', now);
  const total = Number((await base.clone().count({ n: '*' }).first())?.n ?? 0);
  const rows = await base
    .select('passes.*', 'units.code as unit_code')
    .orderBy('passes.created_at', 'desc')
    .limit(query.limit)
    .offset(query.offset);
  return { rows: rows as (PassRow & { unit_code: string })[], total };
}

export async function passQrPng(store: ScopedStore, pass: PassRow): Promise<Buffer> {
  const keys = await estateKeys(store);
  const payload = encodeSignedToken({ subject: 'pass', estateId: store.estateId, subjectId: pass.id }, keys.privateKeyPem);
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}

/**
 * Slides a resident pass to 30 days from now while its holder lives here, revokes it once they moved out. Runs from
 * the background job for every resident pass and from the scan path and the portal for the one pass at hand.
 */
export async function keepResidentPassCurrent(store: ScopedStore, pass: PassRow, timezone: string, now = new Date()): Promise<PassRow> {
  if (pass.kind !== 'resident' || pass.revoked_at || !pass.resident_id) return pass;
  if (!(await livesIn(store, pass.resident_id, pass.unit_id, estateToday(timezone, now)))) return revokePass(store, pass.id, 'moved_out');
  const renewAfter = new Date(now.getTime() + (RESIDENT_PASS_DAYS - 1) * DAY_MS).toISOString();
  // An expired pass stays expired until its holder opens the portal again (which renews with `force`).
  if (pass.valid_until <= now.toISOString() || pass.valid_until >= renewAfter) return pass;
  return renewResidentPass(store, pass, now);
}

export async function renewResidentPass(store: ScopedStore, pass: PassRow, now = new Date()): Promise<PassRow> {
  const valid_until = new Date(now.getTime() + RESIDENT_PASS_DAYS * DAY_MS).toISOString();
  const valid_from = pass.valid_from < now.toISOString() ? pass.valid_from : now.toISOString();
  return store.update<PassRow>('passes', pass.id, { valid_from, valid_until }, 'passes.renew');
}
