import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitToDisplays, readWindowState, writeWindowState } from './window-state.ts';

const tempFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'klustera-ws-')), 'nested', 'window-state.json');

describe('window state file', () => {
  it('round-trips bounds and maximised flag', () => {
    const file = tempFile();
    writeWindowState(file, { bounds: { x: 10, y: 20, width: 1300, height: 850 }, maximized: true });
    expect(readWindowState(file)).toEqual({ bounds: { x: 10, y: 20, width: 1300, height: 850 }, maximized: true });
  });

  it('returns null for a missing or corrupt file instead of throwing', () => {
    const file = tempFile();
    expect(readWindowState(file)).toBeNull();
    writeWindowState(file, { bounds: { width: 1, height: 1 }, maximized: false });
    writeFileSync(file, '{"bounds":{"width":"wide"}}');
    expect(readWindowState(file)).toBeNull();
    writeFileSync(file, '{trunc');
    expect(readWindowState(file)).toBeNull();
  });
});

describe('fitToDisplays', () => {
  const laptop = { x: 0, y: 0, width: 1366, height: 740 };

  it('keeps a position that is on a current display', () => {
    expect(fitToDisplays({ x: 100, y: 50, width: 1200, height: 700 }, [laptop])).toEqual({ x: 100, y: 50, width: 1200, height: 700 });
  });

  it('drops the position of a window left on an unplugged monitor', () => {
    expect(fitToDisplays({ x: 2000, y: 100, width: 1200, height: 700 }, [laptop])).toEqual({ width: 1200, height: 700 });
  });

  it('shrinks a window larger than every display', () => {
    expect(fitToDisplays({ width: 2560, height: 1440 }, [laptop])).toEqual({ width: 1366, height: 740 });
  });
});
