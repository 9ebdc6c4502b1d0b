/**
 * The ledger's public face: what other domains (receipts, reports, dashboard, jobs, the route index) may use.
 * Everything else in this folder is the ledger's own; tests and benchmarks may still reach inside.
 */
export { billingRoutes } from './billing-routes.ts';
export { noticeRoutes } from './notice-routes.ts';
export {
  acknowledgeLedgerNotice,
  listLedgerNotices,
  noticeId,
  raiseLedgerNotice,
  type LedgerNoticeInput,
  type NoticeKind,
} from './notices.ts';
export { noticeOverpaidInvoices } from './overlap-notices.ts';
export { deterministicId } from './deterministic-id.ts';
export { paymentRoutes, portalPaymentRoutes } from './payment-routes.ts';
export { billingRunJob } from './billing-run-job.ts';
export {
  onlinePaymentRoutes,
  processXenditWebhookJob,
  processMidtransNotificationJob,
  reconcileOnlineChargesJob,
  reconcileOnlineChargesSchedule,
} from './online/index.ts';
export { billingSchedule, billingScheduleTickJob } from './schedule.ts';
export { occupantPayer, type Payer } from './payer.ts';
export { portalPaymentVisible, type PortalView } from './portal-store.ts';
export { residentUnit } from './portal-units.ts';
export { unitAccountCard } from './account-card.ts';
export { firstFreeSiteCode } from './numbering.ts';
export { postArrivedMoneyFacts, unpostedMoneyFacts, POSTED_FACT_TABLES, type MoneyFact } from './arrived-postings.ts';
export { accountCardResponse, type AccountCard } from './account-card-schemas.ts';
export {
  billedOf,
  collectedOf,
  invoiceBalancesQuery,
  invoiceSumsInPeriods,
  isOverdue,
  outstandingOf,
  overflowByUnit,
  overflowOfUnit,
  statusOf,
  toInvoiceBalance,
  type InvoiceStatus,
  type InvoiceSums,
  type InvoiceSumsRow,
} from './invoice-balance.ts';
