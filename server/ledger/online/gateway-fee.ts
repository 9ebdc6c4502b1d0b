/**
 * The gateway's fee for a charge, by the estate's configured rule per method. Xendit does not put its fee on a
 * payment request or its `payment.succeeded` callback (it is in Xendit's balance transactions), so the ledger books
 * what this rule says; reading the balance transaction would give the exact fee.
 */
export interface FeeRule {
  /** Percent of the amount, in basis points (0.7% = 70). */
  basisPoints: number;
  /** A fixed part per transaction (rupiah). */
  flat: number;
}

/** Xendit's published Indonesian rates: QRIS 0.7%, virtual accounts Rp 4.000 each, e-wallets 1.5%. */
export const FEE_RULES: Readonly<Record<string, FeeRule>> = {
  qris: { basisPoints: 70, flat: 0 },
  va: { basisPoints: 0, flat: 4_000 },
  ewallet: { basisPoints: 150, flat: 0 },
};

/** The fee on an amount the gateway receives, rounded up to whole rupiah (the gateway never charges a fraction less). */
export function feeOn(method: string, gross: number): number {
  const rule = FEE_RULES[method];
  if (!rule || gross <= 0) return 0;
  return Math.ceil((gross * rule.basisPoints) / 10_000) + rule.flat;
}

/**
 * What to ask of a resident who bears the fee so that, after the gateway takes its fee on the whole, the dues arrive:
 * the least gross with gross − fee(gross) ≥ dues.
 */
export function grossForDues(method: string, dues: number): { gross: number; fee: number } {
  const rule = FEE_RULES[method];
  if (!rule || dues <= 0) return { gross: dues, fee: 0 };
  // gross·(1 − bp/10000) ≥ dues + flat, then stepped down while a rupiah less still covers (ceil can overshoot by 1).
  let gross = Math.ceil(((dues + rule.flat) * 10_000) / (10_000 - rule.basisPoints));
  while (gross - 1 - feeOn(method, gross - 1) >= dues) gross -= 1;
  while (gross - feeOn(method, gross) < dues) gross += 1;
  return { gross, fee: gross - dues };
}
