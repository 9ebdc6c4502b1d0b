import type { BadgeTone } from '../components/Badge.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { formatRate } from '../format/rupiah.ts';

/** Keys and badge tones for the ledger's status and method codes. */
export const STATUS_TONE: Record<string, BadgeTone> = {
  unpaid: 'red',
  partial: 'amber',
  paid: 'green',
  void: 'grey',
  recorded: 'green',
  reversed: 'grey',
  pending: 'amber',
  verified: 'green',
  rejected: 'red',
};

export const statusKey = (status: string) => `ledger.status_${status}` as MessageKey;
export const methodKey = (method: string) => `ledger.method_${method}` as MessageKey;
export const METHODS = ['cash', 'bank_transfer', 'qris', 'ewallet', 'other'] as const;

export function formatPercent(rate: number | null): string {
  return rate === null ? '–' : formatRate(rate);
}
