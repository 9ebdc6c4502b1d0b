import { multiplyByDecimal, percentOf, subRupiah, type Rupiah } from '../money/rupiah.ts';
import type { Period } from '../calendar/calendar.ts';

/**
 * What a unit owes for one fee in one period. Pure: the billing run loads fee types, their effective-dated rates and
 * the units once, then calls this for every (unit, fee) pair.
 */
export const UNIT_TYPES = ['rumah', 'ruko', 'kavling', 'other'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];
export type Occupancy = 'occupied' | 'vacant' | 'under_construction';

/** How a fee treats a unit nobody lives in (vacant or still being built). */
export type VacantRule = { mode: 'charge' } | { mode: 'exempt' } | { mode: 'discount'; percent: number };

export interface FeeRate {
  id: string;
  /** First period the rate applies to; a later rate replaces it from its own period on, never before. */
  effective_from: Period;
  /** Per unit (flat) or per m² of land (per_m2). */
  amount: Rupiah;
  /** Overrides `amount` for the listed unit types (ruko pays more than rumah). */
  amounts_by_type: Partial<Record<UnitType, Rupiah>> | null;
}

export interface FeeDefinition {
  id: string;
  code: string;
  name: string;
  basis: 'flat' | 'per_m2';
  /** Only these unit types pay the fee; null = every type. */
  unit_types: UnitType[] | null;
  vacant_rule: VacantRule;
  rates: FeeRate[];
  /** Switched off: the first period no longer billed. Earlier periods still bill it. */
  inactive_from?: Period | null;
}

export interface BillableUnit {
  id: string;
  type: string;
  land_area_m2: number | null;
  occupancy: string;
}

export interface FeeLine {
  fee_type_id: string;
  fee_rate_id: string;
  description: string;
  /** Area in m² for per-m² fees, 1 otherwise; a string so 72.5 m² round-trips exactly. */
  quantity: string;
  unit_amount: Rupiah;
  amount: Rupiah;
}

/**
 * The rate in force in `period`: the latest effective_from not after it. Rates with the same effective_from are
 * corrections; the last one given wins (ids are time-ordered, so the caller passes them in creation order).
 */
export function rateInForce(rates: FeeRate[], period: Period): FeeRate | undefined {
  let best: FeeRate | undefined;
  for (const rate of rates) {
    if (rate.effective_from > period) continue;
    if (!best || rate.effective_from >= best.effective_from) best = rate;
  }
  return best;
}

export function isVacant(occupancy: string): boolean {
  return occupancy === 'vacant' || occupancy === 'under_construction';
}

/** The invoice line for this fee, or null when the unit does not pay it this period. */
export function feeLineForUnit(fee: FeeDefinition, unit: BillableUnit, period: Period): FeeLine | null {
  if (fee.inactive_from && period >= fee.inactive_from) return null;
  if (fee.unit_types && !fee.unit_types.includes(unit.type as UnitType)) return null;
  const vacant = isVacant(unit.occupancy);
  if (vacant && fee.vacant_rule.mode === 'exempt') return null;
  const rate = rateInForce(fee.rates, period);
  if (!rate) return null;
  const unitAmount = rate.amounts_by_type?.[unit.type as UnitType] ?? rate.amount;

  let amount: Rupiah;
  let quantity = '1';
  if (fee.basis === 'per_m2') {
    // Without a recorded area there is nothing honest to charge; the preview reports such units.
    if (unit.land_area_m2 == null || !(unit.land_area_m2 > 0)) return null;
    quantity = String(unit.land_area_m2);
    amount = multiplyByDecimal(unitAmount, quantity, 'half_up');
  } else {
    amount = unitAmount;
  }

  let description = fee.name;
  if (vacant && fee.vacant_rule.mode === 'discount') {
    amount = subRupiah(amount, percentOf(amount, fee.vacant_rule.percent, 'half_up'));
    description = `${fee.name} (kosong, diskon ${fee.vacant_rule.percent}%)`;
  }
  if (amount <= 0) return null;
  return { fee_type_id: fee.id, fee_rate_id: rate.id, description, quantity, unit_amount: unitAmount, amount };
}

export function feeLinesForUnit(fees: FeeDefinition[], unit: BillableUnit, period: Period): FeeLine[] {
  const lines: FeeLine[] = [];
  for (const fee of fees) {
    const line = feeLineForUnit(fee, unit, period);
    if (line) lines.push(line);
  }
  return lines;
}
