import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { messageLanguage } from './accept-language.ts';
import { localizeErrorBody, translateMessage } from './error-language.ts';
import { indonesianIssueMessage } from './zod-messages.ts';

describe('messageLanguage', () => {
  it.each([
    [undefined, 'id'],
    ['', 'id'],
    ['en', 'en'],
    ['EN-us', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7', 'id'],
    ['in', 'id'],
    ['fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5', 'en'],
    ['en;q=0.3, id;q=0.9', 'id'],
    ['id;q=0.3, en;q=0.9', 'en'],
    ['en;q=0', 'id'],
    ['en;q=1.5', 'id'],
    ['en;q=-1', 'id'],
    ['en;q=0.1234', 'id'],
    ['*', 'id'],
    ['de, ja', 'id'],
    ['en_US', 'id'],
    ['<script>,en', 'en'],
    [`${'a'.repeat(600)},en`, 'id'],
  ] as const)('%s → %s', (header, expected) => {
    expect(messageLanguage(header)).toBe(expected);
  });

  it('takes no guess from a repeated header', () => {
    expect(messageLanguage(['en', 'en'])).toBe('id');
  });
});

describe('translateMessage', () => {
  it('leaves Indonesian alone and translates to English', () => {
    expect(translateMessage('Wajib diisi.', 'id')).toBe('Wajib diisi.');
    expect(translateMessage('Wajib diisi.', 'en')).toBe('Required.');
  });

  it('fills templates, translating a value that is a known word', () => {
    expect(translateMessage('Perumahan tidak ditemukan.', 'en')).toBe('Estate not found.');
    expect(translateMessage('Unit B-7 sudah ada.', 'en')).toBe('Unit B-7 already exists.');
    expect(translateMessage('Printer tidak dapat dihubungi: USB 04b8:0202 tidak terpasang', 'en')).toBe(
      'The printer cannot be reached: USB 04b8:0202 is not connected',
    );
  });

  it('prefers the template with more fixed words', () => {
    expect(translateMessage('Minimal 3 karakter.', 'en')).toBe('At least 3 characters.');
    expect(translateMessage('Minimal 3.', 'en')).toBe('At least 3.');
  });

  it('keeps an unknown or oversized message in Indonesian', () => {
    expect(translateMessage('Pesan yang belum ada terjemahannya.', 'en')).toBe('Pesan yang belum ada terjemahannya.');
    const huge = `Unit ${'x'.repeat(100_000)} sudah ada.`;
    const started = performance.now();
    expect(translateMessage(huge, 'en')).toBe(huge);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('translates the message after the field name and every detail, never the code or the field', () => {
    const body = {
      error: {
        code: 'VALIDATION_FAILED',
        field: 'code',
        message: 'code: Kode unit tidak sah (contoh: A-12).',
        details: [{ field: 'code', message: 'Kode unit tidak sah (contoh: A-12).' }],
      },
    };
    expect(localizeErrorBody(body, 'en')).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        field: 'code',
        message: 'code: Invalid unit code (e.g. A-12).',
        details: [{ field: 'code', message: 'Invalid unit code (e.g. A-12).' }],
      },
    });
    expect(localizeErrorBody(body, 'id')).toBe(body);
    expect(body.error.message).toBe('code: Kode unit tidak sah (contoh: A-12).');
  });
});

describe("zod's own issues", () => {
  const cases: Array<[z.ZodType, unknown]> = [
    [z.string(), undefined],
    [z.string(), 5],
    [z.number(), 'x'],
    [z.number().int(), 1.5],
    [z.boolean(), 'x'],
    [z.array(z.string()), 'x'],
    [z.object({}), 'x'],
    [z.string().min(1), ''],
    [z.string().min(3), 'ab'],
    [z.array(z.string()).min(2), ['a']],
    [z.number().min(5), 1],
    [z.number().positive(), 0],
    [z.string().max(3), 'abcd'],
    [z.array(z.string()).max(1), ['a', 'b']],
    [z.number().max(5), 9],
    [z.number().lt(5), 5],
    [z.literal('cash'), 'x'],
    [z.enum(['cash', 'transfer']), 'x'],
    [z.string().email(), 'x'],
    [z.string().uuid(), 'x'],
    [z.string().url(), 'x'],
    [z.string().datetime(), 'x'],
    [z.string().regex(/^a$/), 'b'],
    [z.number().multipleOf(5), 3],
    [z.object({}).strict(), { extra: 1 }],
    [z.union([z.string(), z.number()]), true],
  ];

  it.each(cases.map(([schema, input], i) => [i, schema, input] as const))(
    'case %i reads in Indonesian and English',
    (_i, schema, input) => {
      const result = schema.safeParse(input, { error: indonesianIssueMessage });
      expect(result.success).toBe(false);
      const message = result.error!.issues[0].message;
      expect(message).not.toMatch(/Invalid|Too (big|small)|expected/);
      const english = translateMessage(message, 'en');
      expect(english).not.toBe(message);
      expect(english).not.toMatch(/\b(Harus|Minimal|Maksimal|Pilih|Isian|tidak|karakter)\b/);
    },
  );

  it('a message the schema gives wins over the built-in one', () => {
    const result = z.string().min(1, 'Isi kata sandi.').safeParse('', { error: indonesianIssueMessage });
    expect(result.error!.issues[0].message).toBe('Isi kata sandi.');
  });
});
