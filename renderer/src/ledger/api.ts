import { api, apiRequest, buildUrl } from '../api/client.ts';

/** Calls to the ledger endpoints (billing, payments, cash book, reports) and the shapes the screens use. */
export interface Paged<T> {
  items: T[];
  total: number;
}

// The server's own answer shapes (type-only: no server code reaches the bundle).
export type { InvoiceListItem as Invoice } from '../../../server/ledger/billing-schemas.ts';
export type { Payment } from '../../../server/ledger/payment-schemas.ts';
export type { CollectionMonth, TreasurerDashboard as Dashboard } from '../../../server/dashboard/schemas.ts';

export interface ArrearsReport {
  year: number;
  periods: string[];
  sort: 'unit' | 'amount';
  grid: Array<{
    unit_id: string;
    code: string;
    resident: string | null;
    phone: string | null;
    outstanding: (number | null)[];
    months_owed: number;
    total_outstanding: number;
  }>;
  list: Array<{ unit_id: string; code: string; resident: string | null; months_owed: number; total_outstanding: number }>;
  totals: { outstanding: (number | null)[]; total_outstanding: number; units_in_arrears: number };
}

export interface MonthlySection {
  opening: number;
  receipts: Array<{ category: string; label: string; amount: number }>;
  spending: Array<{ category: string; label: string; amount: number }>;
  total_receipts: number;
  total_spending: number;
  closing: number;
}

export interface MonthlyReport {
  period: string;
  accounts: Array<MonthlySection & { account_id: string; name: string; kind: string }>;
  total: MonthlySection;
  transactions: Array<{
    entry_date: string;
    account_id: string;
    account: string;
    category: string;
    label: string;
    description: string;
    direction: 'in' | 'out';
    amount: number;
  }>;
}

export const estatePath = (estateId: string, rest: string) => `/estates/${estateId}${rest}`;

/** A fresh key per form submission: a double click or a retry of the same submission records one payment. */
export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function postIdempotent<T>(path: string, body: unknown, key: string): Promise<T> {
  return apiRequest<T>('POST', path, { body, headers: { 'Idempotency-Key': key } });
}

/** The URL of a report or receipt file, for links the browser downloads itself (session cookie, GET). */
export function fileUrl(path: string, query: Record<string, string | number>): string {
  return buildUrl(path, query);
}

export { api, apiRequest };
