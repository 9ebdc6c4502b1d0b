import type { MessageLanguage } from './accept-language.ts';
import type { ErrorBody } from './errors.ts';
import { MESSAGES_EN } from './messages-en.ts';

/**
 * Server messages are written in Indonesian where they are thrown; an English request gets them through the English
 * catalog here, at the one place errors are serialised, so no throw site needs to know the reader's language.
 */

interface Template {
  pattern: RegExp;
  english: string;
}

const PLACEHOLDER = '{}';
// Captured values are user input at times (a unit code); matching a huge message is not worth its cost.
const MAX_MESSAGE_LENGTH = 2000;

const exact = new Map<string, string>();
const templates: Template[] = [];
for (const [indonesian, english] of Object.entries(MESSAGES_EN)) {
  if (!indonesian.includes(PLACEHOLDER)) {
    exact.set(indonesian, english);
    continue;
  }
  const parts = indonesian.split(PLACEHOLDER).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  templates.push({ pattern: new RegExp(`^${parts.join('(.+?)')}$`, 's'), english });
}
// The template with the most fixed words first: "Minimal {} karakter." before "Minimal {}.".
templates.sort((a, b) => b.pattern.source.replaceAll('(.+?)', '').length - a.pattern.source.replaceAll('(.+?)', '').length);

export function templatePlaceholderCount(text: string): number {
  return text.split(PLACEHOLDER).length - 1;
}

function toEnglish(message: string, depth: number): string {
  const known = exact.get(message);
  if (known !== undefined) return known;
  if (depth > 2 || message.length > MAX_MESSAGE_LENGTH) return message;
  for (const { pattern, english } of templates) {
    const match = pattern.exec(message);
    if (!match) continue;
    // A value can be words of its own ("Perumahan" in "{} tidak ditemukan.").
    const values = match.slice(1).map((value) => toEnglish(value, depth + 1));
    let next = 0;
    return english.replace(/\{\}/g, () => values[next++] ?? '');
  }
  return message;
}

export function translateMessage(message: string, language: MessageLanguage): string {
  return language === 'en' ? toEnglish(message, 0) : message;
}

/** A field's message as the pipeline writes it, `amount: Harus berupa angka.`: the field name stays as it is. */
export function translateFieldMessage(message: string, field: string | undefined, language: MessageLanguage): string {
  if (language === 'id') return message;
  const prefix = field ? `${field}: ` : '';
  if (prefix && message.startsWith(prefix)) return prefix + translateMessage(message.slice(prefix.length), language);
  return translateMessage(message, language);
}

/** Codes and fields stay as they are; the message and each detail's message are translated. */
export function localizeErrorBody(body: ErrorBody, language: MessageLanguage): ErrorBody {
  if (language === 'id') return body;
  const error = { ...body.error, message: translateFieldMessage(body.error.message, body.error.field, language) };
  if (Array.isArray(error.details)) {
    error.details = error.details.map((detail: unknown) => {
      const d = detail as { message?: unknown } | null;
      if (!d || typeof d !== 'object' || typeof d.message !== 'string') return detail;
      return { ...d, message: translateMessage(d.message, language) };
    });
  }
  return { error };
}
