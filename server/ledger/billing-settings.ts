import { z } from 'zod';
import type { LateFeeRule } from './late-fee.ts';

/**
 * The estate's billing settings live under `settings.billing` of the estate (PATCH /estates/:id):
 * `{auto_run_day: 1–28, due_day: 1–31, late_fee: {mode: "flat", amount, after_days} | {mode: "percent", percent,
 * after_days}}`. Anything malformed there is ignored rather than breaking billing.
 */
export interface BillingSettings {
  auto_run_day: number | null;
  due_day: number;
  late_fee: LateFeeRule | null;
}

const lateFee = z.union([
  z.object({ mode: z.literal('flat'), amount: z.number().int().positive().max(1e9), after_days: z.number().int().min(0).max(365) }),
  z.object({ mode: z.literal('percent'), percent: z.number().positive().max(100), after_days: z.number().int().min(0).max(365) }),
]);

export function billingSettingsOf(estateSettings: unknown): BillingSettings {
  let settings = estateSettings;
  if (typeof settings === 'string') {
    try {
      settings = JSON.parse(settings);
    } catch {
      settings = {};
    }
  }
  const billing = (settings as { billing?: Record<string, unknown> } | null)?.billing ?? {};
  const day = Number(billing.auto_run_day);
  const due = Number(billing.due_day);
  const fee = lateFee.safeParse(billing.late_fee);
  return {
    auto_run_day: Number.isInteger(day) && day >= 1 && day <= 28 ? day : null,
    due_day: Number.isInteger(due) && due >= 1 && due <= 31 ? due : 10,
    late_fee: fee.success ? fee.data : null,
  };
}
