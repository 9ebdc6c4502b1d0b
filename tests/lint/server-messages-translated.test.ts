import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatePlaceholderCount, translateMessage } from '../../server/http/error-language.ts';
import { MESSAGES_EN } from '../../server/http/messages-en.ts';
import { PASSED_ON_ERRORS, scanServerMessages, type FoundMessage } from './server-messages.ts';

/**
 * Every message the server can answer with has its English in server/http/messages-en.ts: a message added to a throw
 * or a schema without one fails here, so an English-mode user never reads an Indonesian reason.
 */
const SERVER = path.resolve(__dirname, '../../server');

function untranslated(messages: FoundMessage[]): string[] {
  const missing = messages.filter((m) =>
    m.template ? MESSAGES_EN[m.text] === undefined : MESSAGES_EN[m.text] === undefined && translateMessage(m.text, 'en') === m.text,
  );
  return [...new Set(missing.map((m) => `${JSON.stringify(m.text)} (${m.where})`))];
}

describe('server messages have English', () => {
  const scan = scanServerMessages(SERVER);

  it('finds the messages of throws, error class defaults, helpers and schemas', () => {
    const texts = new Set(scan.messages.map((m) => m.text));
    expect(texts.size).toBeGreaterThan(150);
    for (const known of [
      '{} tidak ditemukan.', // NotFoundError's own template
      'Silakan masuk terlebih dahulu.', // a constructor's default message
      'Perumahan', // what NotFoundError names
      'Data', // store.get()'s default "what"
      'Unit {} sudah ada.', // a template at a throw
      'Kode unit tidak sah (contoh: A-12).', // ctx.addIssue in a schema
      'Maksimal {} karakter.', // a zod check's message
      'Badan permintaan bukan JSON yang sah.', // an error body written by hand
      'Berkas kosong.', // an import error the route hands on
    ]) {
      expect(texts, known).toContain(known);
    }
    for (const name of PASSED_ON_ERRORS) expect(fs.readFileSync(path.join(SERVER, 'imports/import-file-error.ts'), 'utf8')).toContain(name);
  });

  it('every message is a literal the scan can read', () => {
    expect(scan.unresolved).toEqual([]);
  });

  it('every message has an English entry', () => {
    expect(untranslated(scan.messages)).toEqual([]);
  });

  it('every template keeps its values', () => {
    for (const [indonesian, english] of Object.entries(MESSAGES_EN)) {
      expect(english.trim(), indonesian).not.toBe('');
      expect(templatePlaceholderCount(english), indonesian).toBe(templatePlaceholderCount(indonesian));
    }
  });

  it('fails on a new message without English', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-messages-'));
    try {
      fs.mkdirSync(path.join(dir, 'shop'));
      fs.writeFileSync(
        path.join(dir, 'errors.ts'),
        'export class AppError extends Error { constructor(readonly status: number, readonly code: string, message: string) { super(message); } }\n' +
          'export class ConflictError extends AppError { constructor(code: string, message: string) { super(409, code, message); } }\n',
      );
      fs.writeFileSync(
        path.join(dir, 'shop/service.ts'),
        "import { ConflictError } from '../errors.ts';\nexport function sell(n: number) { if (n > 1) throw new ConflictError('SOLD', `Barang ${n} sudah terjual habis.`); throw new ConflictError('X', 'Unit tidak ditemukan.'); }\n",
      );
      fs.writeFileSync(
        path.join(dir, 'shop/schemas.ts'),
        "import { z } from 'zod';\nexport const item = z.object({ name: z.string().min(1, 'Nama barang wajib diisi.') });\n",
      );
      const found = scanServerMessages(dir);
      expect(
        untranslated(found.messages)
          .map((m) => m.split(' (')[0])
          .sort(),
      ).toEqual(['"Barang {} sudah terjual habis."', '"Nama barang wajib diisi."']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
