import type { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

const SIZED: Record<string, string> = { string: 'karakter', array: 'item', set: 'item', map: 'item', file: 'byte' };
const TYPE_NAMES: Record<string, string> = {
  string: 'Harus berupa teks.',
  number: 'Harus berupa angka.',
  int: 'Harus bilangan bulat.',
  bigint: 'Harus bilangan bulat.',
  boolean: 'Harus berupa ya/tidak (true/false).',
  array: 'Harus berupa daftar.',
  object: 'Harus berupa objek.',
  date: 'Harus berupa tanggal.',
};
const FORMATS: Record<string, string> = {
  email: 'Alamat email tidak sah.',
  uuid: 'Id tidak sah.',
  guid: 'Id tidak sah.',
  url: 'Alamat tidak sah.',
  datetime: 'Waktu harus berformat ISO-8601.',
  date: 'Tanggal harus berformat YYYY-MM-DD.',
};

function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/**
 * zod's own messages for the issues a schema gives no message of its own, in Indonesian like every other server
 * message (zod words them in English). Each is one fixed text or template, so messages-en.ts can carry its English.
 */
export function indonesianIssueMessage(issue: Issue): string {
  try {
    return issueMessage(issue);
  } catch {
    // A message must never turn bad input into a 500.
    return 'Isian tidak sah.';
  }
}

function issueMessage(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'Wajib diisi.';
      return TYPE_NAMES[issue.expected] ?? 'Jenis isian tidak sah.';
    case 'too_small': {
      const unit = SIZED[issue.origin];
      const min = String(issue.minimum);
      if (unit) return issue.origin === 'string' && min === '1' ? 'Wajib diisi.' : `Minimal ${min} ${unit}.`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive ? `Minimal ${min}.` : `Harus lebih dari ${min}.`;
      return 'Terlalu kecil.';
    }
    case 'too_big': {
      const unit = SIZED[issue.origin];
      const max = String(issue.maximum);
      if (unit) return `Maksimal ${max} ${unit}.`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive ? `Maksimal ${max}.` : `Harus kurang dari ${max}.`;
      return 'Terlalu besar.';
    }
    case 'invalid_value':
      return issue.values.length === 1 ? `Harus ${shown(issue.values[0])}.` : `Pilih salah satu: ${issue.values.map(String).join(', ')}.`;
    case 'invalid_format':
      return FORMATS[issue.format] ?? 'Format tidak sah.';
    case 'not_multiple_of':
      return `Harus kelipatan ${String(issue.divisor)}.`;
    case 'unrecognized_keys':
      return `Isian tidak dikenal: ${issue.keys.join(', ')}.`;
    default:
      return 'Isian tidak sah.';
  }
}
