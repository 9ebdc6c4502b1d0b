import { defineRoutes } from '../http/route.ts';
import { estateParams } from '../http/schemas.ts';
import { acknowledgeLedgerNotice, listLedgerNotices } from './notices.ts';
import { noticeListQuery, noticeListResponse, noticeParams, noticeResponse } from './notice-schemas.ts';

export const noticeRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/ledger/notices',
    permission: 'ledger.notices',
    summary: 'Reconciliation notices for the treasurer, newest first (open=1: not yet acknowledged)',
    params: estateParams,
    query: noticeListQuery,
    response: noticeListResponse,
    handler: async ({ store, query }) => ({ items: await listLedgerNotices(store!, { open: query.open === '1' }) }),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/ledger/notices/:notice_id/acknowledge',
    permission: 'ledger.notices',
    summary: 'Mark a reconciliation notice as read (again: no change)',
    params: noticeParams,
    response: noticeResponse,
    handler: ({ store, params }) => acknowledgeLedgerNotice(store!, params.notice_id),
  },
]);
