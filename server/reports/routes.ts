import { defineRoutes } from '../http/route.ts';
import { estateParams } from '../http/schemas.ts';
import { sendReport, XLSX_TYPE } from './report-format.ts';
import { monthlyReportQuery, paymentHistoryQuery, yearReportQuery } from './schemas.ts';
import { arrearsReport, collectionReport, monthlyReport, paymentHistoryReport } from './service.ts';

const base = '/estates/:estate_id/reports';
const tags = ['reports'];
const produces = ['application/json', XLSX_TYPE, 'application/pdf'];

export const reportRoutes = defineRoutes([
  {
    method: 'get',
    path: `${base}/monthly`,
    permission: 'reports.read',
    tags,
    params: estateParams,
    query: monthlyReportQuery,
    raw: true,
    produces,
    summary: 'Monthly financial report (laporan keuangan): opening, receipts and spending by category, closing, per account',
    handler: async ({ store, estate, query, res }) => {
      const report = await monthlyReport(store!, estate!, query.period);
      await sendReport(res, query.format, report.data, report.document);
    },
  },
  {
    method: 'get',
    path: `${base}/arrears`,
    permission: 'reports.read',
    tags,
    params: estateParams,
    query: yearReportQuery,
    raw: true,
    produces,
    summary: 'Arrears (tunggakan) for a year: units × months grid and the list of units that owe',
    handler: async ({ store, estate, query, res }) => {
      const report = await arrearsReport(store!, estate!, query.year);
      await sendReport(res, query.format, report.data, report.document);
    },
  },
  {
    method: 'get',
    path: `${base}/collection`,
    permission: 'reports.read',
    tags,
    params: estateParams,
    query: yearReportQuery,
    raw: true,
    produces,
    summary: 'Collection rate per month of a year: billed, collected, outstanding',
    handler: async ({ store, estate, query, res }) => {
      const report = await collectionReport(store!, estate!, query.year);
      await sendReport(res, query.format, report.data, report.document);
    },
  },
  {
    method: 'get',
    path: `${base}/payment-history`,
    permission: 'reports.read',
    tags,
    params: estateParams,
    query: paymentHistoryQuery,
    raw: true,
    produces,
    summary: "A unit's payment history with allocations, reversals, credit and outstanding",
    handler: async ({ store, estate, query, res }) => {
      const report = await paymentHistoryReport(store!, estate!, query.unit_id);
      await sendReport(res, query.format, report.data, report.document);
    },
  },
]);
