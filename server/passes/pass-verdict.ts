/**
 * Why a pass may not be used for a gate passage right now. Pure: the scan service runs it on the row it read, and
 * again (through the conditional update's WHERE clause) at the moment the use is counted.
 */
export const REJECTION_REASONS = [
  'used_up',
  'expired',
  'not_yet_valid',
  'revoked',
  'other_estate',
  'forged',
  'unknown_code',
  'throttled',
  // Not a fault of the pass: its guest entered and has not left, so the guard is offered the exit instead.
  'already_inside',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export type Direction = 'in' | 'out';

export interface PassValidity {
  valid_from: string;
  valid_until: string;
  max_uses: number | null;
  uses: number;
  revoked_at: string | null;
}

/**
 * Entry checks everything; exit only refuses nothing a pass can carry, because the guard never keeps someone inside —
 * a guest leaving after the window is an overstay to record, not a reason to argue at the barrier.
 */
export function passRejection(pass: PassValidity, now: string, direction: Direction): RejectionReason | null {
  if (direction === 'out') return null;
  if (pass.revoked_at) return 'revoked';
  if (now < pass.valid_from) return 'not_yet_valid';
  if (now >= pass.valid_until) return 'expired';
  if (pass.max_uses !== null && pass.uses >= pass.max_uses) return 'used_up';
  return null;
}
