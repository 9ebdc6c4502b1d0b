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

/** The most a treasurer may enter as the fee per transfer into a virtual account (a typo guard, rupiah). */
export const MAX_VA_FEE = 50_000;

/**
 * The fee per transfer into a virtual account at `bank`: the estate's own figure for that bank (a bank on the
 * switcher model has its own agreed fee), else the standard flat rule. A VA fee does not depend on the amount.
 */
export function vaFeeFor(vaFees: Readonly<Record<string, number>> | null | undefined, bank: string): number {
  const own = vaFees?.[bank];
  return typeof own === 'number' && Number.isInteger(own) && own >= 0 ? own : FEE_RULES.va.flat;
}

/**
 * How a transfer of `amount` into a virtual account is split. The estate bears the fee: the whole amount pays the
 * unit's bills and the fee is the estate's expense. The resident bears it: the portal asked for the dues plus the
 * fee, so the fee is taken off the transfer and the rest pays the bills — the ledger records what reaches the
 * estate, as a QRIS charge grossed up for the resident does. A transfer no larger than the fee cannot carry it; the
 * estate bears that one fee, so the cash book still follows the gateway's balance.
 */
export function splitVaTransfer(
  feeBearer: string,
  fee: number,
  amount: number,
): { dues: number; fee: number; bornBy: 'estate' | 'resident' } {
  if (feeBearer === 'resident' && amount > fee) return { dues: amount - fee, fee, bornBy: 'resident' };
  return { dues: amount, fee, bornBy: 'estate' };
}
