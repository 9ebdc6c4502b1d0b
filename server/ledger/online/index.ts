/**
 * Online payments (ledger/online): gateway settings, charges residents pay by QRIS, the gateway's webhooks and the
 * job that turns a confirmed charge into a ledger payment. Other domains use only this module.
 */
export { onlinePaymentRoutes } from './routes.ts';
export { processXenditWebhookJob } from './webhook.ts';
export { processMidtransNotificationJob } from './midtrans-webhook.ts';
export { reconcileOnlineChargesJob, reconcileOnlineChargesSchedule } from './reconcile.ts';
export type { PaymentGateway, GatewayCharge, CreateChargeInput } from './gateway.ts';
