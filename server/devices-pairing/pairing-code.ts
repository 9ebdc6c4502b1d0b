import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: the code is read off the office screen and typed on a kiosk keypad by someone wearing gloves.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** 8 characters (~40 bits), shown as XXXX-XXXX; with a 15-minute lifetime and a per-address limit, not guessable. */
export function generatePairingCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += ALPHABET[randomInt(0, ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a person may type for the same code: any case, with or without the dash or spaces. */
export function normalizePairingCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}
