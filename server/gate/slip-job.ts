import { z } from 'zod';
import type { ScopedStore } from '../db/scoped-store.ts';
import { printDocument } from '../devices/print-document.ts';
import { liveEstate } from '../estates/index.ts';
import { ConflictError } from '../http/errors.ts';
import { defineJob } from '../jobs/define-job.ts';
import { encodeSignedToken, type EstateInfo, estateKeys } from '../passes/index.ts';
import { gateView, type GatePost, type GateRow } from './gate-post.ts';
import { guestSlipLayout } from './guest-slip.ts';

/**
 * What a guest slip prints of a visit. A visit row (visits-service.ts) has these fields; the slip names only what it
 * uses, so printing does not depend on the visit service that queues it.
 */
export interface SlipVisit {
  id: string;
  unit_id: string;
  name: string;
  entered_at: string;
  people: number;
  plate: string | null;
  purpose: string | null;
  id_card_left: boolean | number;
}

/** Prints the guest slip on the gate's printer: from the slip job, and awaited for a reprint at the guard's request. */
export async function printVisitSlip(store: ScopedStore, estate: EstateInfo, post: GatePost, visit: SlipVisit): Promise<void> {
  if (!post.gate.printer)
    throw new ConflictError('PRINTER_NOT_CONFIGURED', 'Gerbang ini belum memiliki printer slip: atur di Pos jaga → Gerbang.');
  const keys = await estateKeys(store);
  const unit = await store.query('units').where('id', visit.unit_id).first('code');
  const layout = guestSlipLayout({
    estateName: estate.name,
    guestName: visit.name,
    unitCode: (unit?.code as string | undefined) ?? '',
    enteredAt: visit.entered_at,
    timezone: estate.timezone,
    gateName: post.gate.name,
    guardName: post.guard.name,
    people: visit.people,
    plate: visit.plate,
    purpose: visit.purpose,
    idCardLeft: Boolean(visit.id_card_left),
    checkoutPayload: encodeSignedToken({ subject: 'visit', estateId: store.estateId, subjectId: visit.id }, keys.privateKeyPem),
  });
  await printDocument(post.gate.printer, layout);
}

/**
 * The guest slip of a visit, printed on the gate's printer as configured when the job runs. A few quick tries: a
 * slip that comes out many minutes late is no use at the gate, and the office sees the failure instead.
 */
export const printSlipJob = defineJob({
  name: 'gate.print-slip',
  schema: z.object({ visit_id: z.string(), gate_id: z.string(), guard_name: z.string() }),
  transactional: false,
  maxAttempts: 3,
  run: async (ctx, payload) => {
    const store = ctx.store();
    const estate = await liveEstate(ctx.app.db.knex, store.estateId);
    const gate = await store.find<GateRow>('gates', payload.gate_id);
    if (!estate || !gate) return;
    const visit = await store.get<SlipVisit>('gate_visits', payload.visit_id, 'Kunjungan');
    const post: GatePost = { gate: gateView(gate), guard: { id: null, name: payload.guard_name }, deviceId: null, shiftId: null };
    await printVisitSlip(store, { id: estate.id, name: estate.name, timezone: estate.timezone }, post, visit);
  },
});
