// A merged migration is never edited: databases in estate offices have already run it, and an edit would make their
// schema differ from a fresh install's without anyone noticing. New migrations are added to the list on purpose.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../server/db/migrate.ts';

const CHECKSUMS_FILE = path.join(MIGRATIONS_DIR, 'checksums.json');

function checksum(file: string): string {
  // Line endings do not change what a migration does (a Windows checkout writes CRLF).
  const text = readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8').replace(/\r\n/g, '\n');
  return createHash('sha256').update(text).digest('hex');
}

describe('merged migrations', () => {
  const recorded = JSON.parse(readFileSync(CHECKSUMS_FILE, 'utf8')) as Record<string, string>;
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{14}_[\w-]+\.ts$/.test(f))
    .sort();

  it('are unchanged since they were recorded', () => {
    const changed = Object.keys(recorded).filter((file) => files.includes(file) && checksum(file) !== recorded[file]);
    expect(changed, 'a merged migration was edited: revert it and write a new migration instead').toEqual([]);
  });

  it('are never removed, and every migration is recorded', () => {
    expect(
      Object.keys(recorded).filter((file) => !files.includes(file)),
      'a merged migration was removed',
    ).toEqual([]);
    expect(
      files.filter((file) => !(file in recorded)),
      `record new migrations in ${path.basename(CHECKSUMS_FILE)}`,
    ).toEqual([]);
  });

  it('are recorded in order, so a new migration never sorts before a merged one', () => {
    const names = Object.keys(recorded);
    expect(names).toEqual([...names].sort());
    expect(files.filter((file) => !(file in recorded)).every((file) => file > names[names.length - 1])).toBe(true);
  });
});
