/**
 * Short numeric codes a guest can read out or type on the kiosk keypad when there is no QR to show. Temporary access
 * codes for couriers and repairmen are 6 digits (the wording, and what fits a phone call); other passes get
 * 8 so the larger space makes guessing pointless even before the gate's attempt limiter steps in.
 */
import { randomInt } from 'node:crypto';

export type PassKind = 'resident' | 'guest' | 'temporary';

export function codeLengthFor(kind: PassKind): number {
  return kind === 'temporary' ? 6 : 8;
}

export function generatePassCode(kind: PassKind): string {
  const length = codeLengthFor(kind);
  // No leading zero: spreadsheets and phone keyboards drop it.
  let code = String(randomInt(1, 10));
  for (let i = 1; i < length; i++) code += String(randomInt(0, 10));
  return code;
}

export function looksLikePassCode(text: string): boolean {
  return /^[0-9]{6}$|^[0-9]{8}$/.test(text);
}
