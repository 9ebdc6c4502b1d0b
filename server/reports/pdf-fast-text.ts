/**
 * Table cells written straight into the page's content stream. pdfkit's `doc.text` spends ~100 µs per call on
 * options, layout and kerning runs; a 10,000-unit arrears grid has ~200,000 cells, so cells go through here instead:
 * one BT…ET block per row, each cell a positioned `Tj` of the font's WinAnsi encoding. Only the standard 14 fonts
 * (AFM metrics, no embedding) are supported, which is all the reports use.
 */
interface StandardFont {
  id: string;
  ascender: number;
  ref(): unknown;
  encode(text: string): [string[], unknown[]];
  widthOfString(text: string, size: number): number;
}

type Doc = PDFKit.PDFDocument & {
  _font: StandardFont;
  page: PDFKit.PDFPage & { fonts: Record<string, unknown> };
  addContent(data: string): unknown;
};

export interface FastCell {
  text: string;
  x: number;
  width: number;
  align: 'left' | 'right';
}

function num(n: number): string {
  return (Math.round(n * 100) / 100).toString();
}

// Report cells repeat a lot ("lunas", "150.000", block codes), and AFM width lookups with kerning pairs are the
// bulk of the cost, so widths (per 1 pt) and encodings are remembered per font, up to a bound.
const CACHE_LIMIT = 50_000;

export class FastText {
  private readonly fonts: Record<'regular' | 'bold', StandardFont>;
  private readonly widths = { regular: new Map<string, number>(), bold: new Map<string, number>() };
  private readonly encodings = { regular: new Map<string, string>(), bold: new Map<string, string>() };

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    regular: string,
    bold: string,
  ) {
    const d = doc as Doc;
    doc.font(bold);
    const boldFont = d._font;
    doc.font(regular);
    this.fonts = { regular: d._font, bold: boldFont };
  }

  width(text: string, weight: 'regular' | 'bold', size: number): number {
    const cache = this.widths[weight];
    let perPoint = cache.get(text);
    if (perPoint === undefined) {
      perPoint = this.fonts[weight].widthOfString(text, 1);
      if (cache.size < CACHE_LIMIT) cache.set(text, perPoint);
    }
    return perPoint * size;
  }

  private hex(text: string, weight: 'regular' | 'bold'): string {
    const cache = this.encodings[weight];
    let hex = cache.get(text);
    if (hex === undefined) {
      hex = this.fonts[weight]
        .encode(text)[0]
        .map((h) => (h.length < 2 ? `0${h}` : h))
        .join('');
      if (cache.size < CACHE_LIMIT) cache.set(text, hex);
    }
    return hex;
  }

  /** Shortens `text` with an ellipsis until it fits `width`. */
  fit(text: string, weight: 'regular' | 'bold', size: number, width: number): string {
    if (this.width(text, weight, size) <= width) return text;
    let cut = text;
    while (cut.length > 1 && this.width(`${cut}…`, weight, size) > width) cut = cut.slice(0, -1);
    return `${cut}…`;
  }

  /** One row of cells whose top edge is at `top` (pdfkit's y-down coordinates). */
  row(cells: FastCell[], top: number, weight: 'regular' | 'bold', size: number, pad: number): void {
    const doc = this.doc as Doc;
    const font = this.fonts[weight];
    doc.page.fonts[font.id] ??= font.ref();
    const height = doc.page.height;
    const baseline = height - top - (font.ascender / 1000) * size;
    const ops: string[] = [`q 1 0 0 -1 0 ${num(height)} cm BT /${font.id} ${num(size)} Tf 0 g`];
    for (const c of cells) {
      if (!c.text) continue;
      const text = this.fit(c.text, weight, size, c.width - 2 * pad);
      const x = c.align === 'left' ? c.x + pad : c.x + c.width - pad - this.width(text, weight, size);
      ops.push(`1 0 0 1 ${num(x)} ${num(baseline)} Tm <${this.hex(text, weight)}> Tj`);
    }
    ops.push('ET Q');
    doc.addContent(ops.join('\n'));
  }
}
