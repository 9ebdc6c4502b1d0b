import type { ScopedStore } from '../db/scoped-store.ts';
import { printerConfigSchema, type PrinterConfig } from '../devices/printer-config.ts';
import { ConflictError } from '../http/errors.ts';
import { readSetting } from './settings-store.ts';
import { DEFAULT_RECEIPT_SETTINGS, receiptSettingsSchema, type ReceiptSettings } from './schemas.ts';

export async function printerSettings(store: ScopedStore): Promise<PrinterConfig | null> {
  return readSetting(store, 'printer', printerConfigSchema);
}

/** For code that prints (receipts, guest slips): the configured printer or a 409 the UI turns into "set one up". */
export async function requirePrinter(store: ScopedStore): Promise<PrinterConfig> {
  const config = await printerSettings(store);
  if (!config) throw new ConflictError('PRINTER_NOT_CONFIGURED', 'Printer struk belum diatur: atur di Pengaturan → Printer struk.');
  return config;
}

export async function receiptSettings(store: ScopedStore): Promise<ReceiptSettings> {
  return { ...DEFAULT_RECEIPT_SETTINGS, ...((await readSetting(store, 'receipt', receiptSettingsSchema)) ?? {}) };
}
