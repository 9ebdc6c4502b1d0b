import { describe, expect, it } from 'vitest';
import { createLineSplitter, parseReadyLine } from './server-ready-line.ts';

describe('parseReadyLine', () => {
  it('reads the url from the ready line', () => {
    expect(parseReadyLine('KLUSTERA_READY {"url":"http://127.0.0.1:41234"}')).toEqual({ url: 'http://127.0.0.1:41234' });
  });

  it('tolerates a Windows line ending and a trailing slash', () => {
    expect(parseReadyLine('KLUSTERA_READY {"url":"http://127.0.0.1:5/"}\r')).toEqual({ url: 'http://127.0.0.1:5' });
  });

  it('ignores human log lines and malformed payloads', () => {
    expect(parseReadyLine('Klustera is ready at http://127.0.0.1:41234')).toBeNull();
    expect(parseReadyLine('KLUSTERA_READY not-json')).toBeNull();
    expect(parseReadyLine('KLUSTERA_READY {"port":41234}')).toBeNull();
    expect(parseReadyLine('KLUSTERA_READY {"url":"file:///etc"}')).toBeNull();
    expect(parseReadyLine('KLUSTERA_READY null')).toBeNull();
  });
});

describe('createLineSplitter', () => {
  it('joins a line split across chunks and flushes the tail on end', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    splitter.push('first\nKLUSTERA_RE');
    splitter.push('ADY {"url":"http://127.0.0.1:1"}\nla');
    expect(lines).toEqual(['first', 'KLUSTERA_READY {"url":"http://127.0.0.1:1"}']);
    splitter.push('st');
    splitter.end();
    expect(lines).toEqual(['first', 'KLUSTERA_READY {"url":"http://127.0.0.1:1"}', 'last']);
  });
});
