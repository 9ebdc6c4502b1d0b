import { defineRoutes } from '../http/route.ts';
import { estateParams, idParams } from '../http/schemas.ts';
import { addAttachment, ATTACHMENT_MAX_BYTES, getAttachment, listAttachments } from './attachments.ts';
import { accountCreateSchema, accountsQuery, cashbookAccountListResponse, cashbookAccountResponse, cashbookAttachmentListResponse, cashbookAttachmentResponse, cashbookCloseResponse, cashbookEntriesResponse, cashbookEntryPageResponse, cashbookEntryResponse, cashbookPeriodListResponse, cashbookReopenResponse, cashbookTransferResponse, cashbookVerifyResponse, closeSchema, entryCreateSchema, entryListQuery, entryReverseSchema, reopenSchema, transferCreateSchema } from './schemas.ts';
import {
  accountsWithBalances, closePeriod, createAccount, createEntry, createTransfer, getEntry, listEntries, listPeriods,
  reopenPeriod, reverseEntry, verifyCashbook,
} from './service.ts';

const base = '/estates/:estate_id/cashbook';
const tags = ['cashbook'];

export const cashbookRoutes = defineRoutes([
  {
    method: 'get', path: `${base}/accounts`, permission: 'cashbook.read', tags, params: estateParams, query: accountsQuery,
    summary: 'Cash-book accounts with balances derived from entries (with ?period=YYYY-MM: opening, in, out, closing)',
    response: cashbookAccountListResponse,
    handler: async ({ store, query }) => ({ items: await accountsWithBalances(store!, query.period) }),
  },
  {
    method: 'post', path: `${base}/accounts`, permission: 'cashbook.write', tags, params: estateParams, body: accountCreateSchema,
    status: 201, summary: 'Open a cash-book account (cash on hand, bank, e-wallet) with an optional opening balance',
    response: cashbookAccountResponse,
    handler: ({ store, body }) => createAccount(store!, body),
  },
  {
    method: 'get', path: `${base}/entries`, permission: 'cashbook.read', tags, params: estateParams, query: entryListQuery,
    summary: 'Cash-book entries, newest first',
    response: cashbookEntryPageResponse,
    handler: ({ store, query }) => listEntries(store!, query),
  },
  {
    method: 'post', path: `${base}/entries`, permission: 'cashbook.write', tags, params: estateParams, body: entryCreateSchema,
    status: 201, idempotent: true, summary: 'Record money in or out of an account',
    response: cashbookEntryResponse,
    handler: ({ store, body }) => createEntry(store!, body),
  },
  {
    method: 'get', path: `${base}/entries/:id`, permission: 'cashbook.read', tags, params: idParams,
    summary: 'One cash-book entry',
    response: cashbookEntryResponse,
    handler: ({ store, params }) => getEntry(store!, params.id),
  },
  {
    method: 'post', path: `${base}/entries/:id/reverse`, permission: 'cashbook.write', tags, params: idParams,
    body: entryReverseSchema, status: 201, summary: 'Correct an entry with a reversing entry (a transfer is reversed whole)',
    response: cashbookEntriesResponse,
    handler: async ({ store, params, body }) => ({ entries: await reverseEntry(store!, params.id, body) }),
  },
  {
    method: 'post', path: `${base}/entries/:id/attachments`, permission: 'cashbook.write', tags, params: idParams,
    upload: { field: 'file', maxBytes: ATTACHMENT_MAX_BYTES }, status: 201,
    summary: 'Attach a proof (JPEG, PNG, WebP or PDF) to an entry',
    response: cashbookAttachmentResponse,
    handler: ({ store, params, file }) => addAttachment(store!, params.id, file),
  },
  {
    method: 'get', path: `${base}/entries/:id/attachments`, permission: 'cashbook.read', tags, params: idParams,
    summary: "An entry's attachments",
    response: cashbookAttachmentListResponse,
    handler: ({ store, params }) => listAttachments(store!, params.id),
  },
  {
    method: 'get', path: `${base}/attachments/:id`, permission: 'cashbook.read', tags, params: idParams, raw: true,
    produces: ['application/octet-stream'], summary: 'Download an attachment',
    handler: async ({ store, params, res }) => {
      const a = await getAttachment(store!, params.id);
      res.setHeader('Content-Type', a.content_type);
      res.setHeader('Content-Disposition', `attachment; filename="${a.filename.replace(/"/g, '')}"`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.status(200).end(Buffer.from(a.content));
    },
  },
  {
    method: 'post', path: `${base}/transfers`, permission: 'cashbook.write', tags, params: estateParams, body: transferCreateSchema,
    status: 201, idempotent: true, summary: 'Move money between two accounts (one entry out, one in)',
    response: cashbookTransferResponse,
    handler: ({ store, body }) => createTransfer(store!, body),
  },
  {
    method: 'get', path: `${base}/verify`, permission: 'cashbook.read', tags, params: estateParams,
    summary: 'Check the hash chain and report the first broken link',
    response: cashbookVerifyResponse,
    handler: ({ store }) => verifyCashbook(store!),
  },
  {
    method: 'get', path: `${base}/periods`, permission: 'cashbook.read', tags, params: estateParams,
    summary: 'Months that were closed or reopened',
    response: cashbookPeriodListResponse,
    handler: ({ store }) => listPeriods(store!),
  },
  {
    method: 'post', path: `${base}/close`, permission: 'cashbook.close', tags, params: estateParams, body: closeSchema,
    status: 201, summary: 'Close a month: no entry dated inside it is accepted until it is reopened',
    response: cashbookCloseResponse,
    handler: ({ store, body }) => closePeriod(store!, body.period),
  },
  {
    method: 'post', path: `${base}/reopen`, permission: 'cashbook.close', tags, params: estateParams, body: reopenSchema,
    status: 201, summary: 'Reopen a closed month, with a reason (audited)',
    response: cashbookReopenResponse,
    handler: ({ store, body }) => reopenPeriod(store!, body.period, body.reason),
  },
]);
