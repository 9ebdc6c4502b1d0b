import { describe, expect, it } from 'vitest';
import { isBlockedKioskShortcut, type KeyInput } from './kiosk-shortcuts.ts';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  type: 'keyDown',
  key: k,
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...mods,
});

describe('isBlockedKioskShortcut', () => {
  it('blocks the ways to close, quit or leave the kiosk window', () => {
    expect(isBlockedKioskShortcut(key('F4', { alt: true }))).toBe(true);
    expect(isBlockedKioskShortcut(key('w', { control: true }))).toBe(true);
    expect(isBlockedKioskShortcut(key('Q', { meta: true }))).toBe(true);
    expect(isBlockedKioskShortcut(key('F11'))).toBe(true);
    expect(isBlockedKioskShortcut(key('I', { control: true, shift: true }))).toBe(true);
  });

  it('lets scanner input and ordinary typing through', () => {
    for (const k of ['K', 'L', '1', 'Enter', 'Backspace', 'Tab', 'w', 'q']) {
      expect(isBlockedKioskShortcut(key(k))).toBe(false);
    }
    expect(isBlockedKioskShortcut(key('W', { shift: true }))).toBe(false);
  });

  it('only acts on key presses, not releases', () => {
    expect(isBlockedKioskShortcut(key('F4', { alt: true, type: 'keyUp' }))).toBe(false);
  });
});
