import { describe, expect, it } from 'vitest';
import { catalogs, interpolate, lookup, lookupError } from './messages.ts';

describe('dictionaries', () => {
  it('gives every Indonesian key an English text', () => {
    for (const [namespace, dict] of Object.entries(catalogs.id)) {
      const english = (catalogs.en as Record<string, Record<string, string>>)[namespace];
      expect(Object.keys(english ?? {}).sort(), namespace).toEqual(Object.keys(dict).sort());
    }
  });

  it('keeps the placeholders of a text the same in both languages', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const [namespace, dict] of Object.entries(catalogs.id) as [string, Record<string, string>][]) {
      const english = (catalogs.en as Record<string, Record<string, string>>)[namespace]!;
      for (const [key, text] of Object.entries(dict)) {
        expect(placeholders(english[key]!), `${namespace}.${key}`).toEqual(placeholders(text));
      }
    }
  });
});

describe('lookup', () => {
  it('reads a dotted key in the chosen language', () => {
    expect(lookup('en', 'units.list_title')).toBe('Units');
    expect(lookup('id', 'units.list_title')).toBe('Unit rumah');
    expect(lookup('en', 'units.no_such_key')).toBeNull();
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{from}–{to} dari {total}', { from: 1, to: 50, total: 150 })).toBe('1–50 dari 150');
    expect(interpolate('Halo {name}', {})).toBe('Halo {name}');
  });

  it('finds error texts by code, and misses unknown codes', () => {
    expect(lookupError('en', 'ACCOUNT_LOCKED')).toMatch(/locked/);
    expect(lookupError('id', 'NO_SUCH_CODE')).toBeNull();
  });
});
