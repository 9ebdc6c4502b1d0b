import { z } from 'zod';
import { defineRoutes } from '../http/route.ts';
import { estateParams, idParams } from '../http/schemas.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { newId } from '../db/ids.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { activeRunOf, runProgress } from './billing-progress.ts';
import { billingRunJob, billingRunJobKey } from './billing-run-job.ts';
import { previewBillingRun, runBilling } from './billing-run.ts';
import { createFeeType, deleteFeeType, getFeeType, listFeeTypes, updateFeeType } from './fee-service.ts';
import { createCharge, creditNote, getInvoice, listBillingRuns, listInvoices, serializeRun, voidInvoice } from './invoice-service.ts';
import type { Period } from '../calendar/calendar.ts';
import { unitAccountCard } from './account-card.ts';
import { accountCardQuery, accountCardResponse } from './account-card-schemas.ts';
import {
  billingRunBody,
  billingRunListResponse,
  billingRunQuery,
  billingRunStartResponse,
  billingRunStateResponse,
  chargeBody,
  chargeResponse,
  creditNoteBody,
  feeTypeCreateBody,
  feeTypeListResponse,
  feeTypePatchBody,
  feeTypeResponse,
  invoiceDetailResponse,
  invoiceListQuery,
  invoicePageResponse,
  reasonBody,
} from './billing-schemas.ts';

const runIdParams = z.object({ estate_id: estateParams.shape.estate_id, id: z.string().max(64) });

export const billingRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/fee-types',
    permission: 'fees.read',
    summary: 'Fee types with their current rate and rate history',
    params: estateParams,
    response: feeTypeListResponse,
    handler: ({ store }) => listFeeTypes(store!),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/fee-types',
    permission: 'fees.write',
    summary: 'Create a fee type (IPL, keamanan, …)',
    status: 201,
    params: estateParams,
    body: feeTypeCreateBody,
    response: feeTypeResponse,
    handler: ({ store, body }) => createFeeType(store!, body),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/fee-types/:id',
    permission: 'fees.read',
    summary: 'One fee type',
    params: idParams,
    response: feeTypeResponse,
    handler: ({ store, params }) => getFeeType(store!, params.id),
  },
  {
    method: 'patch',
    path: '/estates/:estate_id/fee-types/:id',
    permission: 'fees.write',
    summary: 'Change a fee type; a new amount becomes a new rate from effective_from',
    params: idParams,
    body: feeTypePatchBody,
    response: feeTypeResponse,
    handler: ({ store, params, body }) => updateFeeType(store!, params.id, body),
  },
  {
    method: 'delete',
    path: '/estates/:estate_id/fee-types/:id',
    permission: 'fees.write',
    summary: 'Stop billing a fee type (tombstone)',
    status: 204,
    params: idParams,
    handler: ({ store, params }) => deleteFeeType(store!, params.id),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/billing-runs',
    permission: 'billing.run',
    summary: 'Preview (dry_run) or run billing for a period',
    params: estateParams,
    body: billingRunBody,
    raw: true,
    produces: ['application/json'],
    response: billingRunStartResponse,
    handler: async ({ store, body, res, actor }) => {
      const input = { period: body.period as Period, due_date: body.due_date, trigger: 'manual' as const };
      if (body.dry_run) {
        res.status(200).json(await previewBillingRun(store!, input));
        return;
      }
      if (activeRunOf(store!.estateId)) throw new ConflictError('RUN_IN_PROGRESS', 'Penagihan lain sedang berjalan untuk perumahan ini.');
      if (body.background) {
        // Validate cheaply up front so bad input still gets its 4xx instead of a failed background run.
        await previewBillingRun(store!, input);
        const id = newId();
        // A durable job, not a promise left running: a restart or a crash does not lose the run.
        await enqueueJob(
          store!.knex,
          billingRunJob,
          {
            run_id: id,
            period: input.period,
            due_date: input.due_date,
            user_id: actor.userId,
            role: actor.role,
          },
          { estateId: store!.estateId, key: billingRunJobKey(id) },
        );
        res.status(202).json({ id, status: 'running', period: input.period, processed_units: 0, total_units: 0 });
        return;
      }
      res.status(201).json(await runBilling(store!, input));
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/billing-runs',
    permission: 'billing.read',
    summary: 'Billing runs, newest first',
    params: estateParams,
    query: billingRunQuery,
    response: billingRunListResponse,
    handler: ({ store, query }) => listBillingRuns(store!, query),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/billing-runs/:id',
    permission: 'billing.read',
    summary: 'One billing run, or the progress of one still running',
    params: runIdParams,
    response: billingRunStateResponse,
    handler: async ({ store, params }) => {
      const row = await store!.query('billing_runs').where('billing_runs.id', params.id).first();
      if (row) return serializeRun(row);
      const progress = runProgress(store!.estateId, params.id);
      if (progress) return progress;
      // Queued, running in another process, or failed for good: the job says which.
      const job = await store!
        .query('jobs')
        .where({ 'jobs.name': billingRunJob.name, 'jobs.dedupe_key': billingRunJobKey(params.id) })
        .first('status', 'last_error');
      if (!job) throw new NotFoundError('Penagihan');
      if (job.status === 'failed')
        return { id: params.id, status: 'failed', error: { code: 'BILLING_RUN_FAILED', message: job.last_error ?? '' } };
      return { id: params.id, status: 'running', processed_units: 0, total_units: 0 };
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/charges',
    permission: 'billing.run',
    summary: 'One-off charge for all or selected units',
    status: 201,
    params: estateParams,
    body: chargeBody,
    idempotent: true,
    response: chargeResponse,
    handler: ({ store, body }) => createCharge(store!, { ...body, period: body.period as Period }),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/invoices',
    permission: 'invoices.read',
    summary: 'Invoices by unit, period and status (paged)',
    params: estateParams,
    query: invoiceListQuery,
    response: invoicePageResponse,
    handler: ({ store, query }) => listInvoices(store!, query),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/units/:id/account',
    permission: 'invoices.read',
    summary: "A unit's account card: invoices, payments, credit, reversals and receipts with a running balance",
    params: idParams,
    query: accountCardQuery,
    response: accountCardResponse,
    handler: ({ store, params, query }) => unitAccountCard(store!, params.id, query),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/invoices/:id',
    permission: 'invoices.read',
    summary: 'One invoice with lines, allocations and adjustments',
    params: idParams,
    response: invoiceDetailResponse,
    handler: ({ store, params }) => getInvoice(store!, params.id),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/invoices/:id/void',
    permission: 'invoices.void',
    summary: 'Void an invoice with a reason; money on it returns to credit',
    params: idParams,
    body: reasonBody,
    response: invoiceDetailResponse,
    handler: ({ store, params, body }) => voidInvoice(store!, params.id, body.reason),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/invoices/:id/credit-notes',
    permission: 'invoices.void',
    summary: 'Lower what an invoice asks for',
    status: 201,
    params: idParams,
    body: creditNoteBody,
    idempotent: true,
    response: invoiceDetailResponse,
    handler: ({ store, params, body }) => creditNote(store!, params.id, body),
  },
]);
