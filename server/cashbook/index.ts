/**
 * The cash book domain's public face: what other domains may use. Everything else in this folder is its
 * own; tests beside the code may still reach inside.
 */
export { summarizeAccounts } from './balances.ts';
export { defaultPaymentAccountId, postCreditRefund, postGatewayFee, postPaymentReversal, postPaymentToCashbook } from './posting.ts';
export { namedAccountFor } from './accounts-store.ts';
export { isCashbookHome } from './home-site.ts';
export { verifyAllCashbooks } from './verify.ts';
