/**
 * A printed document described independently of the device: receipts, guest slips and anything else the office
 * or the guard post prints. `renderEscPos` turns it into printer bytes; the PDF paths build their own pages.
 */
export type TextAlign = 'left' | 'center' | 'right';

export type LayoutBlock =
  | { kind: 'text'; text: string; align?: TextAlign; bold?: boolean; size?: 'normal' | 'large' }
  /** A label on the left and a value flush right; wraps the label when both do not fit on one line. */
  | { kind: 'pair'; left: string; right: string; bold?: boolean }
  | { kind: 'rule'; char?: string }
  /** Printed as a raster image, never with the printer's native QR command (many cheap printers ignore it). */
  | { kind: 'qr'; data: string; caption?: string }
  /** A PNG printed as a raster image. */
  | { kind: 'image'; png: Buffer }
  | { kind: 'feed'; lines: number };

export interface PrintLayout {
  blocks: LayoutBlock[];
  /** Cut the paper at the end (default true). */
  cut?: boolean;
}

export type PaperWidth = 58 | 80;

/** Characters per line in font A: what the 58 mm (384 dots) and 80 mm (576 dots) printers we target print. */
export function columnsFor(paperWidth: PaperWidth): number {
  return paperWidth === 58 ? 32 : 48;
}

export function dotsFor(paperWidth: PaperWidth): number {
  return paperWidth === 58 ? 384 : 576;
}
