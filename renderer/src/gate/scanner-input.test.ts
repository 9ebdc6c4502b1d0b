import { describe, expect, it } from 'vitest';
import { ScannerInput, type ScannerEvent } from './scanner-input.ts';

function typeKeys(input: ScannerInput, keys: string[], startMs: number, gapMs: number): ScannerEvent[] {
  const events: ScannerEvent[] = [];
  keys.forEach((key, i) => events.push(...input.key(key, startMs + i * gapMs)));
  return events;
}

const burst = (text: string) => [...text.split(''), 'Enter'];

describe('ScannerInput', () => {
  it('turns a fast burst ending in Enter into one scan', () => {
    const input = new ScannerInput();
    expect(typeKeys(input, burst('KL1.abcdef'), 0, 5)).toEqual([{ type: 'scan', code: 'KL1.abcdef' }]);
  });

  it('hands slow typing back as typed text and never as a scan', () => {
    const input = new ScannerInput();
    const events = typeKeys(input, burst('123456'), 0, 150);
    expect(events.filter((e) => e.type === 'scan')).toEqual([]);
    expect(events.map((e) => (e.type === 'typed' ? e.text : e.type)).join('')).toBe('123456enter');
  });

  it('releases a lone keystroke on flush once the burst gap has passed', () => {
    const input = new ScannerInput();
    expect(input.key('a', 0)).toEqual([]);
    expect(input.flush(10)).toEqual([]);
    expect(input.flush(150)).toEqual([{ type: 'typed', text: 'a' }]);
  });

  it('ignores the same code within the repeat window and accepts it after', () => {
    const input = new ScannerInput({ repeatWindowMs: 2000 });
    expect(typeKeys(input, burst('12345678'), 0, 3)).toEqual([{ type: 'scan', code: '12345678' }]);
    expect(typeKeys(input, burst('12345678'), 1000, 3)).toEqual([{ type: 'repeat', code: '12345678' }]);
    expect(typeKeys(input, burst('87654321'), 1100, 3)).toEqual([{ type: 'scan', code: '87654321' }]);
    expect(typeKeys(input, burst('12345678'), 3500, 3)).toEqual([{ type: 'scan', code: '12345678' }]);
  });

  it('strips a configured prefix and refuses bursts without it', () => {
    const input = new ScannerInput({ prefix: '~' });
    expect(typeKeys(input, burst('~12345678'), 0, 3)).toEqual([{ type: 'scan', code: '12345678' }]);
    const events = typeKeys(input, burst('87654321'), 5000, 3);
    expect(events).toEqual([{ type: 'typed', text: '87654321' }, { type: 'enter' }]);
  });

  it('tolerates a hiccup inside a scanner burst', () => {
    const input = new ScannerInput();
    const keys = burst('KL1.abcdefghijklmnop');
    const events = keys.flatMap((key, i) => input.key(key, i * 3 + (i >= 10 ? 80 : 0)));
    expect(events).toEqual([{ type: 'scan', code: 'KL1.abcdefghijklmnop' }]);
  });

  it('never takes a fast typist for a scanner', () => {
    const input = new ScannerInput();
    const events = typeKeys(input, burst('12345678'), 0, 60);
    expect(events.some((e) => e.type === 'scan')).toBe(false);
    expect(events.map((e) => (e.type === 'typed' ? e.text : e.type)).join('')).toBe('12345678enter');
  });

  it('does not count a short fast burst (key rollover) as a scan', () => {
    const input = new ScannerInput();
    expect(typeKeys(input, burst('ab'), 0, 5)).toEqual([{ type: 'typed', text: 'ab' }, { type: 'enter' }]);
  });

  it('splits human text from a scan that starts right after it', () => {
    const input = new ScannerInput();
    const events = [...input.key('x', 0), ...typeKeys(input, burst('KL1.zzzzzz'), 500, 4)];
    expect(events).toEqual([
      { type: 'typed', text: 'x' },
      { type: 'scan', code: 'KL1.zzzzzz' },
    ]);
  });

  it('ignores non-character keys', () => {
    const input = new ScannerInput();
    expect(input.key('Shift', 0)).toEqual([]);
    expect(ScannerInput.handles('Shift')).toBe(false);
    expect(ScannerInput.handles('7')).toBe(true);
  });
});
