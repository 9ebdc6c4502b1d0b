import { api, apiRequest, buildUrl } from '../api/client.ts';

/** Calls to the ledger endpoints (billing, payments, cash book, reports) and the shapes the screens use. */
export interface Paged<T> {
  items: T[];
  total: number;
}

export interface Invoice {
  id: string;
  unit_id: string;
  unit_code?: string | null;
  number: string;
  period: string;
  due_date: string;
  total: number;
  paid: number;
  outstanding: number;
  status: 'unpaid' | 'partial' | 'paid' | 'void';
}

export interface Payment {
  id: string;
  payment_number: string;
  unit_id: string;
  unit_code: string | null;
  amount: number;
  method: string;
  paid_at: string;
  reference: string | null;
  status: 'recorded' | 'reversed';
  reversal: { reason: string; reversed_at: string } | null;
  allocations: Array<{ invoice_id: string; invoice_number: string; period: string; amount: number }>;
  credit: number;
}

export interface CollectionMonth {
  period: string;
  invoices: number;
  billed: number;
  collected: number;
  outstanding: number;
  rate: number | null;
}

export interface Dashboard {
  period: string;
  this_month: CollectionMonth;
  outstanding_total: number;
  units_in_arrears: number;
  credit_total: number;
  pending_submissions: number;
  accounts: Array<{ id: string; name: string; kind: string; balance: number }>;
  cash_total: number;
  top_arrears: Array<{ unit_id: string; code: string; resident: string | null; months_owed: number; outstanding: number }>;
  series: CollectionMonth[];
}

export interface ArrearsReport {
  year: number;
  periods: string[];
  grid: Array<{ unit_id: string; code: string; resident: string | null; outstanding: (number | null)[]; months_owed: number; total_outstanding: number }>;
  list: Array<{ unit_id: string; code: string; resident: string | null; months_owed: number; total_outstanding: number }>;
  totals: { outstanding: number[]; total_outstanding: number; units_in_arrears: number };
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
}

export const estatePath = (estateId: string, rest: string) => `/estates/${estateId}${rest}`;

/** A fresh key per form submission: a double click or a retry of the same submission records one payment. */
export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function postIdempotent<T>(path: string, body: unknown, key: string): Promise<T> {
  return apiRequest<T>('POST', path, { body, headers: { 'Idempotency-Key': key } });
}

/** The URL of a report or receipt file, for links the browser downloads itself (session cookie, GET). */
export function fileUrl(path: string, query: Record<string, string | number>): string {
  return buildUrl(path, query);
}

export { api, apiRequest };
