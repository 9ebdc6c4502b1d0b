import { Field } from '../../components/Field.tsx';
import type { ApiError } from '../../api/errors.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';

/** The fee per bank as typed: digits only, so "4.000" and "4000" are the same figure. */
export type VaFeeDraft = Record<string, string>;

export const vaFeeDraft = (fees: Record<string, number>): VaFeeDraft =>
  Object.fromEntries(Object.entries(fees).map(([bank, fee]) => [bank, String(fee)]));

/** The typed fees of the chosen banks as the server takes them; a field left empty keeps the bank's saved fee. */
export function vaFeesInput(draft: VaFeeDraft, banks: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const bank of banks) {
    const digits = (draft[bank] ?? '').replace(/[.\s]/g, '');
    if (digits !== '') out[bank] = /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
  }
  return out;
}

/**
 * Xendit takes a flat fee on every transfer into a virtual account, and a bank on the switcher model (BCA) may have
 * its own agreed figure, so the treasurer sets it per chosen bank. Who bears it is the gateway's fee setting.
 */
export function VaFeeFields({
  banks,
  value,
  onChange,
  feeBearer,
  errors,
}: {
  banks: readonly string[];
  value: VaFeeDraft;
  onChange: (next: VaFeeDraft) => void;
  feeBearer: 'estate' | 'resident';
  errors: Record<string, ApiError | undefined>;
}) {
  const { t } = useI18n();
  if (banks.length === 0) return null;
  return (
    <fieldset className="field gateway-form__va-fees" data-testid="gateway-va-fees">
      <legend className="field__label">{t('online.va_fee_title')}</legend>
      <p className="muted">{feeBearer === 'resident' ? t('online.va_fee_hint_resident') : t('online.va_fee_hint_estate')}</p>
      <div className="gateway-form__va-fee-grid">
        {banks.map((bank) => (
          <Field key={bank} label={bank} error={errors[`va_fees.${bank}`]}>
            <input
              className="input"
              name={`va-fee-${bank}`}
              data-testid={`gateway-va-fee-${bank}`}
              inputMode="numeric"
              autoComplete="off"
              aria-label={`${t('online.va_fee_title')} ${bank}`}
              placeholder="4000"
              value={value[bank] ?? ''}
              onChange={(e) => onChange({ ...value, [bank]: e.target.value })}
            />
          </Field>
        ))}
      </div>
    </fieldset>
  );
}
