import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatPeriod } from '../format/date.ts';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { Field, allFieldsValid } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiForm } from '../hooks/useApiForm.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Link } from '../router/Link.tsx';
import { useSearchParams } from '../router/navigation.ts';
import { useEstateId } from '../session/SessionProvider.tsx';
import { api, estatePath, newIdempotencyKey, postIdempotent, type Payment } from './api.ts';
import { METHODS, methodKey } from './labels.ts';
import { UnitPicker, type PickedUnit } from './UnitPicker.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import type { UnitBalance } from '../../../server/ledger/payment-schemas.ts';
import './ledger.css';
import { DateField } from '../components/DateField.tsx';

const FIELDS = ['unit_id', 'amount', 'method', 'paid_at', 'reference'] as const;

export default function RecordPaymentPage() {
  const calendar = useEstateCalendar();
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const [params] = useSearchParams();
  const [unit, setUnit] = useState<PickedUnit | null>(null);
  const [balance, setBalance] = useState<UnitBalance | null>(null);
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<string>('cash');
  const [paidAt, setPaidAt] = useState(calendar.today());
  const [reference, setReference] = useState('');
  const [recorded, setRecorded] = useState<Payment | null>(null);
  const form = useApiForm(FIELDS);
  // One key per filled-in form: a double click or a retry after a network error sends the same key and the server
  // answers with the first payment instead of recording a second one. A new form gets a new key.
  const key = useRef(newIdempotencyKey());

  useEffect(() => {
    const preset = params.get('unit');
    if (preset && !unit)
      api
        .get<{ id: string; code: string }>(estatePath(estateId, `/units/${preset}`))
        .then((u) => setUnit({ id: u.id, code: u.code }))
        .catch(() => undefined);
  }, []);
  useEffect(() => {
    setBalance(null);
    if (unit) {
      api
        .get<UnitBalance>(estatePath(estateId, `/units/${unit.id}/balance`))
        .then((b) => {
          setBalance(b);
          // What the unit owes is what most payers bring; a typed amount is never overwritten.
          if (b.outstanding > 0) setAmount((typed) => typed || String(b.outstanding));
        })
        .catch(() => undefined);
    }
  }, [unit?.id, recorded?.id]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!allFieldsValid(e)) return;
    void form.submit(async () => {
      const paidAtIso = calendar.noonOf(paidAt);
      const payment = await postIdempotent<Payment>(
        estatePath(estateId, '/payments'),
        {
          unit_id: unit?.id ?? '',
          amount: Number(amount.replace(/\./g, '')),
          method,
          paid_at: paidAtIso,
          reference: reference || undefined,
        },
        key.current,
      );
      setRecorded(payment);
      key.current = newIdempotencyKey();
      setAmount('');
      setReference('');
    });
  };

  return (
    <>
      <PageHeader title={t('ledger.record_payment')} />
      <form className="card form" onSubmit={submit} noValidate data-testid="payment-form">
        <div className="ledger-form">
          <Field label={t('ledger.unit')} required error={form.fieldErrors.unit_id}>
            <UnitPicker
              estateId={estateId}
              value={unit}
              onPick={(u) => {
                setUnit(u);
                setRecorded(null);
              }}
            />
          </Field>
          <Field label={t('ledger.amount')} required error={form.fieldErrors.amount}>
            <input className="input" name="amount" inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </Field>
          <Field label={t('ledger.method')} required error={form.fieldErrors.method}>
            <select className="input" name="method" value={method} onChange={(e) => setMethod(e.target.value)}>
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {t(methodKey(m))}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('ledger.paid_at')} required error={form.fieldErrors.paid_at}>
            <DateField className="input" name="paid_at" value={paidAt} onChange={(e) => setPaidAt(e.target.value)} />
          </Field>
          <Field label={t('ledger.reference')} error={form.fieldErrors.reference}>
            <input className="input" name="reference" value={reference} onChange={(e) => setReference(e.target.value)} />
          </Field>
        </div>
        {unit?.residents?.[0] && <p data-testid="unit-resident">{unit.residents.map((r) => r.name).join(', ')}</p>}
        {balance && (
          <p data-testid="unit-balance">
            {t('ledger.owed_now', { outstanding: formatRupiah(balance.outstanding), credit: formatRupiah(balance.credit) })}
          </p>
        )}
        {form.formError ? <ErrorBanner error={form.formError} /> : null}
        <div className="form__actions form__actions--start">
          <button type="submit" className="btn btn--primary" disabled={form.submitting || !unit}>
            {t('ledger.record_payment')}
          </button>
        </div>
      </form>
      {recorded && (
        <section className="card" data-testid="payment-recorded" style={{ marginTop: 16 }}>
          <div className="banner banner--success" role="status">
            {t('ledger.recorded', { number: recorded.payment_number })}
          </div>
          <h2 className="card__title">{t('ledger.allocations')}</h2>
          <table className="table table--compact">
            <tbody>
              {recorded.allocations.map((a) => (
                <tr key={a.invoice_id}>
                  <td className="table__mono">{a.invoice_number}</td>
                  <td>{formatPeriod(a.period, locale)}</td>
                  <td className="num">{formatRupiah(a.amount)}</td>
                </tr>
              ))}
              {recorded.credit > 0 && (
                <tr>
                  <td colSpan={2}>{t('ledger.to_credit')}</td>
                  <td className="num">{formatRupiah(recorded.credit)}</td>
                </tr>
              )}
            </tbody>
          </table>
          <Link className="btn btn--secondary" href={`/payments/${recorded.id}`}>
            {t('ledger.open_payment')}
          </Link>
        </section>
      )}
    </>
  );
}
