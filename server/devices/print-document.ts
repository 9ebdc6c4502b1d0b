import { renderEscPos } from './escpos-render.ts';
import type { PrinterConfig } from './printer-config.ts';
import type { PrintLayout } from './print-layout.ts';
import { sendToPrinter } from './printer-transport.ts';

/** Renders a layout for the configured printer and sends it. Receipts and guest slips both print through this. */
export async function printDocument(config: PrinterConfig, layout: PrintLayout): Promise<{ bytes: number }> {
  const bytes = await renderEscPos(layout, { paperWidth: config.paper_width ?? 58, printerType: config.printer_type });
  await sendToPrinter(config, bytes);
  return { bytes: bytes.length };
}
