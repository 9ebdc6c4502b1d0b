/**
 * The reports domain's public face: what other domains may use. Everything else in this folder is its
 * own; tests beside the code may still reach inside.
 */
export { collectionByMonth, type CollectionMonth } from './collection-rate.ts';
export type { InvoiceFact } from './invoice-facts.ts';
export { periodsEndingWith } from './period-names.ts';
export { cashbookAccounts, cashbookEntriesUpTo, invoiceFacts, pendingSubmissions, reportUnits, totalCredit } from './store.ts';
