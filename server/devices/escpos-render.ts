import { ThermalPrinter, PrinterTypes } from 'node-thermal-printer';
import QRCode from 'qrcode';
import { columnsFor, dotsFor, type PaperWidth, type PrintLayout, type TextAlign } from './print-layout.ts';
import { pairLines, wrapText } from './text-columns.ts';

export interface EscPosOptions {
  paperWidth: PaperWidth;
  printerType?: 'epson' | 'star';
}

/**
 * A QR code as a PNG sized for the paper: about half the printable width, whole pixels per module so the raster
 * stays sharp on a 203 dpi head.
 */
export async function qrPng(data: string, paperWidth: PaperWidth): Promise<Buffer> {
  const margin = 2;
  const modules = QRCode.create(data, { errorCorrectionLevel: 'M' }).modules.size;
  const target = Math.floor(dotsFor(paperWidth) * (paperWidth === 58 ? 0.6 : 0.45));
  const scale = Math.max(2, Math.floor(target / (modules + 2 * margin)));
  return QRCode.toBuffer(data, { type: 'png', errorCorrectionLevel: 'M', margin, scale });
}

/** Builds the printer's byte stream for a layout; no device is touched, so this is testable on its own. */
export async function renderEscPos(layout: PrintLayout, opts: EscPosOptions): Promise<Buffer> {
  const columns = columnsFor(opts.paperWidth);
  const printer = new ThermalPrinter({
    type: opts.printerType === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON,
    interface: '',
    width: columns,
    removeSpecialCharacters: true,
  });
  // We wrap lines ourselves (so a line never exceeds the column count, whatever the library's folding does).
  printer.add(Buffer.from([0x1b, 0x40])); // ESC @: start from the printer's default modes
  const align = (a: TextAlign | undefined) => {
    if (a === 'center') printer.alignCenter();
    else if (a === 'right') printer.alignRight();
    else printer.alignLeft();
  };

  for (const block of layout.blocks) {
    switch (block.kind) {
      case 'text': {
        align(block.align);
        if (block.bold) printer.bold(true);
        const large = block.size === 'large';
        if (large) printer.setTextDoubleHeight();
        // Double height keeps the column count; double width would halve it, which 58 mm paper cannot spare.
        for (const line of wrapText(block.text, columns)) printer.append(`${line}\n`);
        if (large) printer.setTextNormal();
        if (block.bold) printer.bold(false);
        break;
      }
      case 'pair':
        printer.alignLeft();
        if (block.bold) printer.bold(true);
        for (const line of pairLines(block.left, block.right, columns)) printer.append(`${line}\n`);
        if (block.bold) printer.bold(false);
        break;
      case 'rule':
        printer.alignLeft();
        printer.append(`${(block.char ?? '-').slice(0, 1).repeat(columns)}\n`);
        break;
      case 'qr':
        printer.alignCenter();
        await printer.printImageBuffer(await qrPng(block.data, opts.paperWidth));
        printer.append('\n');
        if (block.caption) for (const line of wrapText(block.caption, columns)) printer.append(`${line}\n`);
        break;
      case 'image':
        printer.alignCenter();
        await printer.printImageBuffer(block.png);
        printer.append('\n');
        break;
      case 'feed':
        for (let i = 0; i < Math.min(Math.max(block.lines, 0), 10); i++) printer.append('\n');
        break;
    }
  }
  printer.alignLeft();
  if (layout.cut !== false) printer.partialCut();
  return Buffer.from(printer.getBuffer() ?? Buffer.alloc(0));
}
