/**
 * Fixed-width text for receipt printers: plain ASCII (code pages differ between cheap printers, and Indonesian
 * needs nothing beyond ASCII once accents are folded), word-wrapped to the paper's column count.
 */
export function toPrinterAscii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\t/g, ' ')
    .replace(/[^\x20-\x7e\n]/g, '?');
}

export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of toPrinterAscii(text).split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/).filter(Boolean)) {
      let w = word;
      while (w.length > width) {
        if (line) {
          lines.push(line);
          line = '';
        }
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
      if (!w) continue;
      if (!line) line = w;
      else if (line.length + 1 + w.length <= width) line += ` ${w}`;
      else {
        lines.push(line);
        line = w;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Label left, value right; when they do not fit together the label wraps and the value sits on its own line. */
export function pairLines(left: string, right: string, width: number): string[] {
  const l = toPrinterAscii(left);
  const r = toPrinterAscii(right).slice(0, width);
  if (l.length + 1 + r.length <= width) return [l + ' '.repeat(width - l.length - r.length) + r];
  return [...wrapText(l, width), ' '.repeat(width - r.length) + r];
}
