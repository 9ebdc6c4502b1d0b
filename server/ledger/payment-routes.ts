import { z } from 'zod';
import { defineRoutes, type RequestContext, type RouteDef } from '../http/route.ts';
import { estateParams, idParams } from '../http/schemas.ts';
import { ValidationError } from '../http/errors.ts';
import { getPayment, listPayments, recordPayment, refundCredit, reversePayment, unitBalance } from './payment-service.ts';
import { residentUnit, residentUnits } from './portal-units.ts';
import { attachPaymentProof, PROOF_MAX_BYTES, readProof } from './proof-store.ts';
import {
  creditRefundResponse,
  paymentBody,
  paymentListQuery,
  paymentPageResponse,
  paymentResponse,
  portalQuery,
  proofResponse,
  refundBody,
  reverseBody,
  submissionFields,
  submissionListQuery,
  transferProofListResponse,
  transferProofResponse,
  transferProofVerifiedResponse,
  unitBalanceResponse,
  verifyBody,
} from './payment-schemas.ts';
import { listSubmissions, rejectSubmission, submissionOwnedBy, submitTransferProof, verifySubmission } from './submission-service.ts';
import { portalBalance, portalInvoices, portalPayments } from './portal-store.ts';
import { invoicePageResponse } from './billing-schemas.ts';

const sendProof = (res: import('express').Response, proof: { filename: string; mime: string; data: Buffer }) => {
  res.setHeader('Content-Type', proof.mime);
  res.setHeader('Content-Disposition', `inline; filename="${proof.filename.replace(/"/g, '')}"`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(proof.data);
};

type PortalUnitView = Awaited<ReturnType<typeof residentUnit>>;

/** A portal read of one unit: which unit the resident may see, and from when, is settled before anything is read. */
function portalUnitRead(
  name: string,
  summary: string,
  response: z.ZodType,
  read: (view: PortalUnitView, query: z.infer<typeof portalQuery>) => Promise<unknown>,
): RouteDef {
  return {
    method: 'get',
    path: `/estates/:estate_id/portal/${name}`,
    permission: 'portal.self',
    summary,
    params: estateParams,
    query: portalQuery,
    response,
    // Every resident opens these at once on the first of the month: their reads share one transaction.
    handler: async (ctx: RequestContext<unknown, z.infer<typeof portalQuery>>) =>
      ctx.store!.readTogether(async (store) => read(await residentUnit({ ...ctx, store }, ctx.query.unit_id), ctx.query)),
  };
}

export const paymentRoutes = defineRoutes([
  {
    method: 'post',
    path: '/estates/:estate_id/payments',
    permission: 'payments.write',
    summary: 'Record a payment (allocated oldest first or to chosen invoices; excess becomes credit)',
    status: 201,
    params: estateParams,
    body: paymentBody,
    idempotent: true,
    response: paymentResponse,
    handler: ({ store, body }) => recordPayment(store!, body),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/payments',
    permission: 'payments.read',
    summary: 'Payments, newest first (paged)',
    params: estateParams,
    query: paymentListQuery,
    response: paymentPageResponse,
    handler: ({ store, query }) => listPayments(store!, query),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/payments/:id',
    permission: 'payments.read',
    summary: 'One payment with its allocations',
    params: idParams,
    response: paymentResponse,
    handler: ({ store, params }) => getPayment(store!, params.id),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/payments/:id/reverse',
    permission: 'payments.reverse',
    summary: 'Reverse a payment with a reason',
    params: idParams,
    body: reverseBody,
    idempotent: true,
    response: paymentResponse,
    handler: ({ store, params, body }) => reversePayment(store!, params.id, body.reason),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/payments/:id/proof',
    permission: 'payments.write',
    summary: 'Attach a proof image or PDF to a payment',
    status: 201,
    params: idParams,
    upload: { field: 'file', maxBytes: PROOF_MAX_BYTES },
    body: z.object({}).passthrough(),
    response: proofResponse,
    handler: ({ store, params, file }) => attachPaymentProof(store!, params.id, file),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/payments/:id/proof',
    permission: 'payments.read',
    summary: 'The proof attached to a payment',
    raw: true,
    produces: ['image/*', 'application/pdf'],
    params: idParams,
    handler: async ({ store, params, res }) => sendProof(res, await readProof(store!, 'payments', params.id)),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/units/:id/balance',
    permission: 'payments.read',
    summary: 'What a unit owes and its credit (saldo titipan)',
    params: idParams,
    response: unitBalanceResponse,
    handler: ({ store, params }) => unitBalance(store!, params.id),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/units/:id/credit-refunds',
    permission: 'payments.write',
    summary: "Pay a unit's credit back (cash-out)",
    status: 201,
    params: idParams,
    body: refundBody,
    idempotent: true,
    response: creditRefundResponse,
    handler: ({ store, params, body }) => refundCredit(store!, params.id, body),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/transfer-proofs',
    permission: 'payments.verify',
    summary: "Residents' transfer proofs awaiting review",
    params: estateParams,
    query: submissionListQuery,
    response: transferProofListResponse,
    handler: ({ store, query }) => listSubmissions(store!, query),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/transfer-proofs/:id/verify',
    permission: 'payments.verify',
    summary: 'Accept a transfer proof: records the payment',
    params: idParams,
    body: verifyBody,
    idempotent: true,
    response: transferProofVerifiedResponse,
    handler: ({ store, params, body }) => verifySubmission(store!, params.id, body),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/transfer-proofs/:id/reject',
    permission: 'payments.verify',
    summary: 'Reject a transfer proof with a reason',
    params: idParams,
    body: reverseBody,
    response: transferProofResponse,
    handler: ({ store, params, body }) => rejectSubmission(store!, params.id, body.reason),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/transfer-proofs/:id/proof',
    permission: 'payments.verify',
    summary: 'The image or PDF a resident uploaded',
    raw: true,
    produces: ['image/*', 'application/pdf'],
    params: idParams,
    handler: async ({ store, params, res }) => sendProof(res, await readProof(store!, 'payment_submissions', params.id)),
  },
]);

/** The resident portal: only the caller's own unit, resolved from their membership. */
export const portalPaymentRoutes = defineRoutes([
  portalUnitRead('balance', "My unit's outstanding and credit", unitBalanceResponse, (view) => portalBalance(view.store, view)),
  portalUnitRead(
    'invoices',
    "My unit's invoices: what it still owes and what was issued since I moved in",
    invoicePageResponse,
    (view, query) => portalInvoices(view.store, view, query),
  ),
  portalUnitRead('payments', "My unit's payments since I moved in, and any I paid", paymentPageResponse, (view, query) =>
    portalPayments(view.store, view, query),
  ),
  {
    method: 'get',
    path: '/estates/:estate_id/portal/transfer-proofs',
    permission: 'portal.self',
    summary: 'My transfer proofs and their review status',
    params: estateParams,
    query: portalQuery,
    response: transferProofListResponse,
    handler: async (ctx) => {
      // Only their own: a unit's earlier occupant's transfer proofs are not the new occupant's to read.
      const { residentId, unitIds } = await residentUnits(ctx);
      return listSubmissions(ctx.store!, { unit_ids: unitIds, resident_id: residentId, limit: ctx.query.limit, offset: ctx.query.offset });
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/portal/transfer-proofs/:id/proof',
    permission: 'portal.self',
    summary: 'The image or PDF I sent with a transfer proof',
    raw: true,
    produces: ['image/*', 'application/pdf'],
    params: idParams,
    handler: async (ctx) => {
      const { residentId, unitIds } = await residentUnits(ctx);
      await submissionOwnedBy(ctx.store!, ctx.params.id, residentId, unitIds);
      sendProof(ctx.res, await readProof(ctx.store!, 'payment_submissions', ctx.params.id));
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/transfer-proofs',
    permission: 'portal.self',
    summary: 'Send a transfer proof for the treasurer to verify',
    status: 201,
    params: estateParams,
    upload: { field: 'file', maxBytes: PROOF_MAX_BYTES },
    body: submissionFields,
    response: transferProofResponse,
    handler: async (ctx) => {
      const { residentId, unitId, store } = await residentUnit(ctx, ctx.body.unit_id);
      if (!ctx.file) throw new ValidationError('File bukti wajib diunggah.', 'file');
      return submitTransferProof(store, { ...ctx.body, unit_id: unitId, resident_id: residentId }, ctx.file);
    },
  },
]);
