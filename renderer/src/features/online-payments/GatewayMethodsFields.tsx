import { useI18n } from '../../i18n/I18nProvider.tsx';
import { walletName } from './PayByEwallet.tsx';

export type GatewayMethod = 'qris' | 'va' | 'ewallet';
export const VA_BANK_CODES = ['BCA', 'BNI', 'BRI', 'MANDIRI', 'PERMATA'] as const;
export const EWALLET_CODES = ['OVO', 'DANA', 'SHOPEEPAY', 'LINKAJA'] as const;

export interface MethodChoice {
  methods: GatewayMethod[];
  vaBanks: string[];
  ewalletChannels: string[];
}

const toggled = <T,>(list: T[], item: T, on: boolean) => (on ? [...new Set([...list, item])] : list.filter((x) => x !== item));

/**
 * Which ways to pay residents are offered, and through which banks and e-wallets. A fixed account per unit exists
 * only at Xendit, so it is not offered with Midtrans.
 */
export function GatewayMethodsFields({
  value,
  onChange,
  allowVa,
}: {
  value: MethodChoice;
  onChange: (next: MethodChoice) => void;
  allowVa: boolean;
}) {
  const { t } = useI18n();
  const method = (m: GatewayMethod, label: string) => (
    <label>
      <input
        type="checkbox"
        name={`method-${m}`}
        data-testid={`gateway-method-${m}`}
        checked={value.methods.includes(m)}
        onChange={(e) => onChange({ ...value, methods: toggled(value.methods, m, e.target.checked) })}
      />{' '}
      {label}
    </label>
  );
  return (
    <div className="gateway-form__checks">
      {method('qris', t('online.method_qris'))}
      {allowVa && method('va', t('online.method_va'))}
      {allowVa && value.methods.includes('va') && (
        <div className="gateway-form__sub" role="group" aria-label={t('online.settings_banks')}>
          {VA_BANK_CODES.map((bank) => (
            <label key={bank}>
              <input
                type="checkbox"
                data-testid={`gateway-bank-${bank}`}
                checked={value.vaBanks.includes(bank)}
                onChange={(e) => onChange({ ...value, vaBanks: toggled(value.vaBanks, bank, e.target.checked) })}
              />{' '}
              {bank}
            </label>
          ))}
        </div>
      )}
      {method('ewallet', t('online.method_ewallet'))}
      {value.methods.includes('ewallet') && (
        <div className="gateway-form__sub" role="group" aria-label={t('online.settings_wallets')}>
          {EWALLET_CODES.map((wallet) => (
            <label key={wallet}>
              <input
                type="checkbox"
                data-testid={`gateway-wallet-${wallet}`}
                checked={value.ewalletChannels.includes(wallet)}
                onChange={(e) => onChange({ ...value, ewalletChannels: toggled(value.ewalletChannels, wallet, e.target.checked) })}
              />{' '}
              {walletName(wallet)}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}
