/**
 * Tells a USB QR scanner from a person at the keyboard. Most scanners are HID keyboards: they "type" the code in a
 * burst (a few ms between keys, with the odd USB or scheduler hiccup) and press Enter. Even a fast typist averages
 * well over 60 ms per key. So a burst is judged by its average gap, and only a long pause ends one. The kiosk routes every printable
 * keystroke through here first, so a scan is never typed into whatever field has focus: characters come back out as
 * `typed` only once they are known not to be part of a burst.
 */
export interface ScannerOptions {
  /** A pause this long ends a burst (what came before was typed by a person). */
  maxGapMs: number;
  /** A burst is a scan only when its keys came this fast on average. */
  maxAverageGapMs: number;
  /** Shortest code accepted as a scan (numeric pass codes are 6). */
  minLength: number;
  /** When the scanner is configured to send a prefix, only bursts starting with it count as scans. */
  prefix: string;
  /** The same code read again within this time is the scanner repeating itself, not a second passage. */
  repeatWindowMs: number;
}

export const DEFAULT_SCANNER_OPTIONS: ScannerOptions = {
  maxGapMs: 100,
  maxAverageGapMs: 30,
  minLength: 6,
  prefix: '',
  repeatWindowMs: 2000,
};

export type ScannerEvent =
  | { type: 'scan'; code: string }
  | { type: 'repeat'; code: string }
  | { type: 'typed'; text: string }
  | { type: 'enter' };

export class ScannerInput {
  private buffer = '';
  private lastKeyAt = -Infinity;
  private firstKeyAt = 0;
  private burst = true;
  private readonly lastSeen = new Map<string, number>();
  private readonly options: ScannerOptions;

  constructor(options: Partial<ScannerOptions> = {}) {
    this.options = { ...DEFAULT_SCANNER_OPTIONS, ...options };
  }

  /** Whether this key belongs here; the kiosk swallows it (preventDefault) when so. */
  static handles(key: string): boolean {
    return key.length === 1 || key === 'Enter';
  }

  key(key: string, atMs: number): ScannerEvent[] {
    const events: ScannerEvent[] = [];
    const gap = atMs - this.lastKeyAt;
    if (this.buffer && gap > this.options.maxGapMs) {
      if (key === 'Enter') this.burst = false;
      else events.push(...this.release());
    }
    if (key === 'Enter') {
      events.push(...this.finishBurst(atMs));
      return events;
    }
    if (key.length !== 1) return events;
    if (!this.buffer) {
      this.burst = true;
      this.firstKeyAt = atMs;
    }
    this.buffer += key;
    this.lastKeyAt = atMs;
    return events;
  }

  /** Call from a timer: characters that waited longer than a burst gap were typed by a person. */
  flush(atMs: number): ScannerEvent[] {
    if (!this.buffer || atMs - this.lastKeyAt <= this.options.maxGapMs) return [];
    return this.release();
  }

  private finishBurst(atMs: number): ScannerEvent[] {
    const text = this.buffer;
    const averageGap = (atMs - this.firstKeyAt) / Math.max(1, text.length);
    const wasBurst = this.burst && text.length >= this.options.minLength && averageGap <= this.options.maxAverageGapMs;
    this.buffer = '';
    if (!wasBurst || (this.options.prefix && !text.startsWith(this.options.prefix))) {
      return text ? [{ type: 'typed', text }, { type: 'enter' }] : [{ type: 'enter' }];
    }
    const code = text.slice(this.options.prefix.length);
    const seenAt = this.lastSeen.get(code);
    this.lastSeen.set(code, atMs);
    for (const [seen, at] of this.lastSeen) if (atMs - at > this.options.repeatWindowMs) this.lastSeen.delete(seen);
    if (seenAt !== undefined && atMs - seenAt <= this.options.repeatWindowMs) return [{ type: 'repeat', code }];
    return [{ type: 'scan', code }];
  }

  private release(): ScannerEvent[] {
    const text = this.buffer;
    this.buffer = '';
    return text ? [{ type: 'typed', text }] : [];
  }
}
