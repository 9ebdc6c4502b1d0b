/**
 * The settings domain's public face: what other domains may use. Everything else in this folder is its
 * own; tests beside the code may still reach inside.
 */
export { receiptSettings, requirePrinter } from './printer-settings.ts';
export type { ReceiptSettings } from './schemas.ts';
