import { nowIso } from '../db/clock.ts';
import { queryTemplate } from '../db/query-template.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import {
  decodePayload,
  type Direction,
  type EstateInfo,
  estateKeys,
  keepResidentPassCurrent,
  looksLikePassCode,
  type PassRow,
  passRejection,
  type RejectionReason,
  type SignedToken,
  verifySignedToken,
} from '../passes/index.ts';
import { appendAccessLog, type LogFields } from './access-log-store.ts';
import { AttemptLimiter, CODE_LIMITS } from './attempt-limiter.ts';
import type { GatePost } from './gate-post.ts';
import type { ScanInput } from './schemas.ts';
import { closeVisit, openVisit, queueVisitSlip, unitCodeOf, type SlipStatus, type VisitRow, visitExitLog } from './visits-service.ts';

/** Per device (or per signed-in guard): typed numeric codes are the one thing at the gate worth guessing. */
export const codeAttempts = new AttemptLimiter('gate-code', CODE_LIMITS);

type PassWithUnit = PassRow & { unit_code: string | null };

type Resolved =
  | { kind: 'pass'; pass: PassWithUnit; method: 'qr' | 'code' }
  | { kind: 'visit'; visit: VisitRow }
  | { kind: 'rejected'; reason: RejectionReason; method: 'qr' | 'code' };

/** The pass row with its unit's code in one read: the verdict screen shows the unit. */
const passByIdQuery = queryTemplate<'estateId' | 'id'>((knex, p) =>
  knex('passes')
    .leftJoin('units', 'units.id', 'passes.unit_id')
    .where('passes.estate_id', p.estateId)
    .where('passes.id', p.id)
    .first('passes.*', 'units.code as unit_code'),
);

const passByCodeQuery = queryTemplate<'estateId' | 'code'>((knex, p) =>
  knex('passes')
    .leftJoin('units', 'units.id', 'passes.unit_id')
    .where('passes.estate_id', p.estateId)
    .whereNull('passes.deleted_at')
    .where('passes.code', p.code)
    // Codes are reused only after a pass stops being usable; the usable one (if any) is the one meant.
    .orderByRaw('case when passes.revoked_at is null then 0 else 1 end')
    .orderBy('passes.valid_until', 'desc')
    .first('passes.*', 'units.code as unit_code'),
);

async function resolveToken(store: ScopedStore, token: SignedToken, decoded: Parameters<typeof verifySignedToken>[0]): Promise<Resolved> {
  // A pass from another estate is told apart before the signature: this server does not hold that estate's key to check.
  if (token.estateId !== store.estateId) return { kind: 'rejected', reason: 'other_estate', method: 'qr' };
  const keys = await estateKeys(store);
  if (!verifySignedToken(decoded, keys.publicKeyPem, keys.privateKeyPem)) return { kind: 'rejected', reason: 'forged', method: 'qr' };
  if (token.subject === 'visit') {
    const visit = await store.find<VisitRow>('gate_visits', token.subjectId);
    return visit ? { kind: 'visit', visit } : { kind: 'rejected', reason: 'unknown_code', method: 'qr' };
  }
  const [pass] = await store.select<PassWithUnit>(passByIdQuery, { id: token.subjectId });
  return pass ? { kind: 'pass', pass, method: 'qr' } : { kind: 'rejected', reason: 'unknown_code', method: 'qr' };
}

async function resolveCode(store: ScopedStore, code: string, limiterKey: string): Promise<Resolved> {
  const decision = await codeAttempts.begin(store.knex, limiterKey, Date.now());
  if (!decision.allowed) return { kind: 'rejected', reason: 'throttled', method: 'code' };
  const pass = looksLikePassCode(code) ? (await store.select<PassWithUnit>(passByCodeQuery, { code }))[0] : undefined;
  await codeAttempts.finish(store.knex, limiterKey, Date.now(), Boolean(pass));
  return pass ? { kind: 'pass', pass, method: 'code' } : { kind: 'rejected', reason: 'unknown_code', method: 'code' };
}

async function resolveScan(store: ScopedStore, text: string, limiterKey: string): Promise<Resolved> {
  const decoded = decodePayload(text);
  if (decoded.ok) return resolveToken(store, decoded.token, decoded);
  if (decoded.reason === 'malformed') return { kind: 'rejected', reason: 'forged', method: 'qr' };
  return resolveCode(store, text.trim(), limiterKey);
}

/**
 * Counts one entry against the pass if, at this instant, it is still usable. The WHERE clause repeats every rule of
 * `passRejection`, so two gates scanning the same single-use pass at once cannot both get a row back: the database
 * serialises the two updates and the second one no longer matches.
 */
const consumeEntryQuery = queryTemplate<'estateId' | 'id' | 'now'>((knex, p) =>
  knex('passes')
    .where('estate_id', p.estateId)
    .where('id', p.id)
    .whereNull('revoked_at')
    .whereNull('deleted_at')
    .where('valid_from', '<=', p.now)
    .where('valid_until', '>', p.now)
    .where((q) => q.whereNull('max_uses').orWhere('uses', '<', knex.ref('max_uses')))
    .update({ uses: knex.raw('uses + 1'), updated_at: p.now })
    .returning('id'),
);

async function consumeEntry(tx: ScopedStore, pass: PassRow, now: string): Promise<boolean> {
  const updated = await tx.select(consumeEntryQuery, { id: pass.id, now });
  if (updated.length !== 1) return false;
  await tx.audit('passes.use', 'passes', pass.id, { uses: pass.uses }, { uses: pass.uses + 1, used_at: now }, 'update');
  return true;
}

async function openVisitOf(tx: ScopedStore, passId: string): Promise<VisitRow | undefined> {
  return (await tx.query('gate_visits').where({ pass_id: passId }).whereNull('exited_at').orderBy('entered_at', 'desc').first()) as
    | VisitRow
    | undefined;
}

export interface ScanOutcome {
  verdict: 'accepted' | 'rejected';
  reason: RejectionReason | null;
  direction: Direction;
  pass: null | {
    id: string;
    kind: string;
    name: string;
    unit_id: string;
    unit_code: string;
    purpose: string | null;
    plate: string | null;
    people: number;
    valid_until: string;
    uses: number;
    max_uses: number | null;
  };
  visit_id: string | null;
  entry_id: string;
  slip: SlipStatus | 'none';
  scanned_at: string;
}

function passSummary(pass: PassRow, unitCode: string, uses: number): NonNullable<ScanOutcome['pass']> {
  return {
    id: pass.id,
    kind: pass.kind,
    name: pass.name,
    unit_id: pass.unit_id,
    unit_code: unitCode,
    purpose: pass.purpose,
    plate: pass.plate,
    people: pass.people,
    valid_until: pass.valid_until,
    uses,
    max_uses: pass.max_uses,
  };
}

export async function scanAtGate(store: ScopedStore, estate: EstateInfo, post: GatePost, input: ScanInput): Promise<ScanOutcome> {
  const text = (input.payload ?? input.code)!;
  const limiterKey = `${store.estateId}:${post.deviceId ?? `user:${store.actor.userId}`}`;
  const resolved = await resolveScan(store, text, limiterKey);
  const now = nowIso();
  const direction = input.direction;
  const method = resolved.kind === 'rejected' ? resolved.method : resolved.kind === 'visit' ? 'qr' : resolved.method;

  if (resolved.kind === 'rejected') {
    const entry = await appendAccessLog(store, post, {
      occurred_at: now,
      direction,
      verdict: 'rejected',
      reason: resolved.reason,
      method,
      pass_id: null,
      pass_kind: null,
      visit_id: null,
      person_name: null,
      unit_id: null,
      unit_code: null,
      plate: null,
      purpose: null,
    });
    return {
      verdict: 'rejected',
      reason: resolved.reason,
      direction,
      pass: null,
      visit_id: null,
      entry_id: entry.id,
      slip: 'none',
      scanned_at: now,
    };
  }

  if (resolved.kind === 'visit') return scanSlip(store, post, resolved.visit, now);

  const unitCode = resolved.pass.unit_code ?? '';
  let pass: PassRow = resolved.pass;
  if (pass.kind === 'resident') pass = await keepResidentPassCurrent(store, pass, estate.timezone);
  const logFor = (verdict: 'accepted' | 'rejected', reason: RejectionReason | null, visitId: string | null): LogFields => ({
    occurred_at: now,
    direction,
    verdict,
    reason,
    method,
    pass_id: pass.id,
    pass_kind: pass.kind,
    visit_id: visitId,
    person_name: pass.name,
    unit_id: pass.unit_id,
    unit_code: unitCode,
    plate: pass.plate,
    purpose: pass.purpose,
  });

  const outcome = await store.transaction(async (tx) => {
    if (direction === 'out') {
      const open = await openVisitOf(tx, pass.id);
      if (open) await closeVisit(tx, post, open.id, now);
      const entry = await appendAccessLog(tx, post, logFor('accepted', null, open?.id ?? null));
      return {
        accepted: true,
        reason: null,
        visit: null as VisitRow | null,
        visitId: open?.id ?? null,
        entryId: entry.id,
        uses: pass.uses,
      };
    }
    const early = passRejection(pass, now, 'in');
    const consumed = early ? false : await consumeEntry(tx, pass, now);
    if (!consumed) {
      // Lost the race or the pass was never usable: say why from the row as it is now.
      const fresh = (await tx.query('passes').where('id', pass.id).first()) as PassRow;
      let reason: RejectionReason = passRejection(fresh, now, 'in') ?? 'used_up';
      // A used-up pass whose guest never left is the guard at the wrong barrier (or a missed exit), not a reuse.
      const inside = reason === 'used_up' ? await openVisitOf(tx, pass.id) : undefined;
      if (inside) reason = 'already_inside';
      const entry = await appendAccessLog(tx, post, logFor('rejected', reason, inside?.id ?? null));
      return { accepted: false, reason, visit: null, visitId: inside?.id ?? null, entryId: entry.id, uses: fresh.uses };
    }
    let visit: VisitRow | null = null;
    if (pass.kind !== 'resident') {
      // No host notice for an expected guest: the host invited them and sees the visit in the portal; notices are
      // for walk-ins the host did not announce.
      visit = await openVisit(tx, post, {
        kind: pass.kind,
        pass_id: pass.id,
        unit_id: pass.unit_id,
        name: pass.name,
        phone: pass.phone,
        plate: pass.plate,
        purpose: pass.purpose,
        people: pass.people,
        id_card_left: false,
        entered_at: now,
        expected_until: pass.valid_until,
      });
    }
    const entry = await appendAccessLog(tx, post, logFor('accepted', null, visit?.id ?? null));
    const slip: SlipStatus | 'none' = visit ? await queueVisitSlip(tx, post, visit) : 'none';
    return { accepted: true, reason: null, visit, visitId: visit?.id ?? null, entryId: entry.id, uses: pass.uses + 1, slip };
  });

  const slip = ('slip' in outcome ? outcome.slip : undefined) ?? 'none';
  return {
    verdict: outcome.accepted ? 'accepted' : 'rejected',
    reason: outcome.reason,
    direction,
    pass: passSummary(pass, unitCode, outcome.uses),
    visit_id: outcome.visitId,
    entry_id: outcome.entryId,
    slip,
    scanned_at: now,
  };
}

/** A guest slip's QR: the way out. Scanning it again after the guest left is refused as used. */
async function scanSlip(store: ScopedStore, post: GatePost, visit: VisitRow, now: string): Promise<ScanOutcome> {
  const unitCode = await unitCodeOf(store, visit.unit_id);
  return store.transaction(async (tx) => {
    const fresh = (await tx.query('gate_visits').where('id', visit.id).first()) as VisitRow;
    const reason: RejectionReason | null = fresh.exited_at ? 'used_up' : null;
    if (!reason) await closeVisit(tx, post, visit.id, now);
    const entry = await appendAccessLog(tx, post, visitExitLog(visit, unitCode, now, 'qr', reason));
    return {
      verdict: reason ? 'rejected' : 'accepted',
      reason,
      direction: 'out',
      pass: {
        id: visit.pass_id ?? visit.id,
        kind: visit.kind,
        name: visit.name,
        unit_id: visit.unit_id,
        unit_code: unitCode,
        purpose: visit.purpose,
        plate: visit.plate,
        people: visit.people,
        valid_until: visit.expected_until ?? now,
        uses: 1,
        max_uses: 1,
      },
      visit_id: visit.id,
      entry_id: entry.id,
      slip: 'none',
      scanned_at: now,
    };
  });
}
