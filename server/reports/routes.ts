import type { z } from 'zod';
import type { ScopedStore } from '../db/scoped-store.ts';
import { assertResponseMatches, responseChecksEnabled } from '../http/response-check.ts';
import { defineRoutes, type RequestContext, type RouteDef } from '../http/route.ts';
import { estateParams } from '../http/schemas.ts';
import { type ReportFormat, sendReport, XLSX_TYPE } from './report-format.ts';
import { accountCardResponse } from '../ledger/index.ts';
import {
  accountCardReportQuery,
  arrearsQuery,
  arrearsReportResponse,
  collectionReportResponse,
  monthlyReportQuery,
  monthlyReportResponse,
  paymentHistoryQuery,
  paymentHistoryResponse,
  yearReportQuery,
} from './schemas.ts';
import { accountCardReport, arrearsReport, type BuiltReport, collectionReport, monthlyReport, paymentHistoryReport } from './service.ts';

const base = '/estates/:estate_id/reports';
const produces = ['application/json', XLSX_TYPE, 'application/pdf'];

type Estate = NonNullable<RequestContext['estate']>;

/**
 * Every report answers the same way: JSON, .xlsx or PDF of one built report, chosen by `format`. `response` is the
 * JSON form's shape: the handler writes its own answer (the files), so it is checked here as the pipeline checks
 * the answers it writes.
 */
function reportRoute<Q extends { format: ReportFormat }>(
  name: string,
  query: z.ZodType<Q>,
  response: z.ZodType,
  summary: string,
  build: (store: ScopedStore, estate: Estate, query: Q) => Promise<BuiltReport<unknown>>,
): RouteDef {
  const def: RouteDef = {
    method: 'get',
    path: `${base}/${name}`,
    permission: 'reports.read',
    tags: ['reports'],
    params: estateParams,
    query,
    raw: true,
    produces,
    response,
    summary,
    handler: async ({ store, estate, query: q, res }: RequestContext<unknown, Q>) => {
      const report = await build(store!, estate!, q);
      if (q.format === 'json' && responseChecksEnabled()) assertResponseMatches(def, report.data);
      await sendReport(res, q.format, report.data, report.document);
    },
  };
  return def;
}

export const reportRoutes = defineRoutes([
  reportRoute(
    'monthly',
    monthlyReportQuery,
    monthlyReportResponse,
    'Monthly financial report (laporan keuangan): opening, receipts and spending by category, closing, per account',
    (store, estate, q) => monthlyReport(store, estate, q.period),
  ),
  reportRoute(
    'arrears',
    arrearsQuery,
    arrearsReportResponse,
    'Arrears (tunggakan) for a year: the units that owe × months (sort=unit|amount), with owner and phone, and the list of units that owe',
    (store, estate, q) => arrearsReport(store, estate, q.year, q.sort),
  ),
  reportRoute(
    'collection',
    yearReportQuery,
    collectionReportResponse,
    'Collection rate per month of a year: billed, collected, outstanding',
    (store, estate, q) => collectionReport(store, estate, q.year),
  ),
  reportRoute(
    'payment-history',
    paymentHistoryQuery,
    paymentHistoryResponse,
    "A unit's payment history with allocations, reversals, credit and outstanding",
    (store, estate, q) => paymentHistoryReport(store, estate, q.unit_id),
  ),
  reportRoute(
    'account-card',
    accountCardReportQuery,
    accountCardResponse,
    "A unit's account card as a statement to hand to the resident (the JSON of GET units/:id/account), as .xlsx or PDF",
    (store, estate, q) => accountCardReport(store, estate, q),
  ),
]);
