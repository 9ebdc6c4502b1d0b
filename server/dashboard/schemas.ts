import { z } from 'zod';
import { backupStatusResponse } from '../backups/index.ts';

/** A month's collection: of what its invoices billed, how much is paid; `rate` is null when nothing was billed. */
export const collectionMonthResponse = z.object({
  period: z.string(),
  invoices: z.number().int(),
  billed: z.number().int(),
  collected: z.number().int(),
  outstanding: z.number().int(),
  rate: z.number().nullable(),
});

/** The month's collection with the cash book's money in and out (transfers between accounts left out). */
export const dashboardMonthResponse = collectionMonthResponse.extend({ income: z.number().int(), spending: z.number().int() });

export const treasurerDashboardResponse = z.object({
  period: z.string(),
  this_month: dashboardMonthResponse,
  outstanding_total: z.number().int(),
  /** Of the outstanding total, what is past its due date by the estate's today. */
  overdue_total: z.number().int(),
  units_in_arrears: z.number().int(),
  credit_total: z.number().int(),
  pending_submissions: z.number().int(),
  accounts: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), balance: z.number().int() })),
  cash_total: z.number().int(),
  top_arrears: z.array(
    z.object({
      unit_id: z.string(),
      code: z.string(),
      resident: z.string().nullable(),
      months_owed: z.number().int(),
      outstanding: z.number().int(),
      overdue: z.number().int(),
      oldest_period: z.string(),
    }),
  ),
  series: z.array(dashboardMonthResponse),
  /** Counts behind the first steps (import units → fee types → first billing) shown to a new estate. */
  setup: z.object({ units: z.number().int(), fee_types: z.number().int(), invoices: z.number().int() }),
  /** The installation's backups: the dashboard warns when the last one failed or none succeeded for 36 hours. */
  backup: backupStatusResponse,
});

export type CollectionMonth = z.infer<typeof collectionMonthResponse>;
export type DashboardMonth = z.infer<typeof dashboardMonthResponse>;
export type TreasurerDashboard = z.infer<typeof treasurerDashboardResponse>;
