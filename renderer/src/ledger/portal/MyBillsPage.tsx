import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { uploadWithProgress } from '../../api/client.ts';
import { Badge } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field, allFieldsValid } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDay, formatPeriod } from '../../format/date.ts';
import { formatRupiah } from '../../format/rupiah.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useLiveChanges } from '../../hooks/useLiveChanges.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useEstateId } from '../../session/SessionProvider.tsx';
import { api, estatePath, fileUrl, type Invoice, type Paged, type Payment } from '../api.ts';
import { STATUS_TONE, methodKey, statusKey } from '../labels.ts';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import type { TransferProof, UnitBalance } from '../../../../server/ledger/payment-schemas.ts';
import '../ledger.css';
import '../transfer-proofs.css';
import { todayIn } from '../../format/calendar.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import { Icon } from '../../components/Icon.tsx';
import { BankTransferDetails } from './BankTransferDetails.tsx';
import './portal-bills.css';
import { DateField } from '../../components/DateField.tsx';
import { PayOnlineDialog } from '../../features/online-payments/PayOnlineDialog.tsx';
import { onlinePaymentApi } from '../../features/online-payments/api.ts';

type Proof = TransferProof;

const FIELDS = ['amount', 'paid_at', 'reference', 'file'] as const;

/** The resident's own unit: what is owed, credit, invoices, payments and transfer proofs, and sending a new proof. */
export default function MyBillsPage() {
  const calendar = useEstateCalendar();
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const [version, setVersion] = useState(0);
  const key = `${estateId}:${version}`;
  const balance = useApiData((s) => api.get<UnitBalance>(estatePath(estateId, '/portal/balance'), undefined, s), key);
  const invoices = useApiData((s) => api.get<Paged<Invoice>>(estatePath(estateId, '/portal/invoices'), { limit: 24 }, s), key);
  const payments = useApiData((s) => api.get<Paged<Payment>>(estatePath(estateId, '/portal/payments'), { limit: 24 }, s), key);
  const proofs = useApiData((s) => api.get<Paged<Proof>>(estatePath(estateId, '/portal/transfer-proofs'), { limit: 24 }, s), key);
  const online = useApiData((s) => onlinePaymentApi.portalOptions(estateId, s), estateId);
  const onlineMethods = online.data?.enabled ? online.data.methods : [];
  const [paying, setPaying] = useState<Invoice | null>(null);
  const reloadBills = useCallback(() => setVersion((v) => v + 1), []);
  // A payment recorded or a proof verified in the office shows here without reloading.
  useLiveChanges(estateId, ['ledger', 'proofs'], () => setVersion((v) => v + 1));
  const [amount, setAmount] = useState('');
  const [paidAt, setPaidAt] = useState(calendar.today());
  const [reference, setReference] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState(false);
  const form = useApiForm(FIELDS);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!allFieldsValid(e)) return;
    void form.submit(async () => {
      const data = new FormData();
      data.append('amount', amount.replace(/\./g, ''));
      data.append('method', 'bank_transfer');
      data.append('paid_at', calendar.noonOf(paidAt));
      if (reference) data.append('reference', reference);
      if (file) data.append('file', file);
      await uploadWithProgress(estatePath(estateId, '/portal/transfer-proofs'), data);
      setSent(true);
      setAmount('');
      setReference('');
      setFile(null);
      setVersion((v) => v + 1);
    });
  };

  const scrollToPay = () => document.getElementById('bayar')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  // The home page's "pay now" lands here with #bayar: go there once the bills above it have their height.
  const loaded = Boolean(invoices.data);
  useEffect(() => {
    if (loaded && window.location.hash === '#bayar') document.getElementById('bayar')?.scrollIntoView({ block: 'start' });
  }, [loaded]);

  const error = balance.error ?? invoices.error;
  return (
    <>
      <PageHeader title={t('ledger.my_bills_title')} />
      {error ? <ErrorBanner error={error} /> : null}
      {balance.data && (
        <div className="stats">
          <div className={`stat${balance.data.outstanding > 0 ? ' stat--bad' : ''}`} data-testid="my-outstanding">
            <div className="stat__label">{t('ledger.my_outstanding')}</div>
            <div className="stat__value">{formatRupiah(balance.data.outstanding)}</div>
          </div>
          <div className="stat">
            <div className="stat__label">{t('ledger.my_credit')}</div>
            <div className="stat__value">{formatRupiah(balance.data.credit)}</div>
          </div>
        </div>
      )}
      <h2>{t('ledger.my_invoices')}</h2>
      {/* Cards, not table rows: on a phone each bill shows its amount, status and what to do next without sideways scrolling. */}
      <ul className="bill-cards" data-testid="my-invoices">
        {invoices.data?.items.map((inv) => {
          const receipts = (payments.data?.items ?? []).filter(
            (p) => p.status === 'recorded' && p.allocations.some((a) => a.invoice_id === inv.id && a.amount > 0),
          );
          return (
            <li key={inv.id} className="card bill-card" data-testid="my-invoice" data-status={inv.status}>
              <div className="bill-card__head">
                <strong className="bill-card__period">{formatPeriod(inv.period, locale)}</strong>
                <span className="bill-card__badges">
                  <Badge tone={STATUS_TONE[inv.status] ?? 'grey'}>{t(statusKey(inv.status))}</Badge>
                  {inv.overdue && <Badge tone="red">{t('ledger.overdue')}</Badge>}
                </span>
              </div>
              <div className="bill-card__amount">{formatRupiah(inv.outstanding > 0 ? inv.outstanding : inv.total)}</div>
              <div className="bill-card__meta">
                <span className="table__mono">{inv.number}</span> · {t('portal.bill_due', { date: formatDay(inv.due_date, locale) })}
                {inv.paid > 0 && inv.outstanding > 0 && (
                  <> · {t('portal.bill_paid_of', { paid: formatRupiah(inv.paid), total: formatRupiah(inv.total) })}</>
                )}
              </div>
              {(receipts.length > 0 || inv.outstanding > 0) && (
                <div className="bill-card__actions">
                  {receipts.map((p) => (
                    <a
                      key={p.id}
                      className="btn btn--secondary"
                      href={fileUrl(estatePath(estateId, `/portal/payments/${p.id}/receipt.pdf`), {})}
                      download={`kuitansi-${p.payment_number}.pdf`}
                      data-testid="bill-receipt"
                    >
                      <Icon name="receipt" size={16} />
                      {t('portal.bill_receipt', { date: formatDay(todayIn(calendar.zone, new Date(p.paid_at)), locale) })}
                    </a>
                  ))}
                  {inv.outstanding > 0 && (
                    <button
                      type="button"
                      className="btn btn--primary"
                      data-testid="bill-pay"
                      onClick={onlineMethods.length > 0 ? () => setPaying(inv) : scrollToPay}
                    >
                      {t('portal.bill_pay')}
                    </button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {invoices.data?.items.length === 0 && <p>{t('ledger.none_yet')}</p>}
      {paying && (
        <PayOnlineDialog
          estateId={estateId}
          invoiceId={paying.id}
          periodLabel={formatPeriod(paying.period, locale)}
          methods={onlineMethods}
          vaBanks={online.data?.va_banks ?? []}
          ewalletChannels={online.data?.ewallet_channels ?? []}
          onClose={() => setPaying(null)}
          onPaid={reloadBills}
          onChooseTransfer={() => {
            setPaying(null);
            scrollToPay();
          }}
        />
      )}
      <section className="card pay-transfer" id="bayar" data-testid="pay-transfer">
        <h2 className="card__title">{t('portal.pay_title')}</h2>
        <p className="muted">{t('portal.pay_steps')}</p>
        <BankTransferDetails estateId={estateId} />
        <form className="form pay-transfer__form" onSubmit={submit} noValidate data-testid="proof-form">
          <h3>{t('ledger.send_proof')}</h3>
          <Field label={t('ledger.amount')} required error={form.fieldErrors.amount}>
            <input className="input" name="amount" inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </Field>
          <Field label={t('ledger.paid_at')} required error={form.fieldErrors.paid_at}>
            <DateField className="input" name="paid_at" value={paidAt} onChange={(e) => setPaidAt(e.target.value)} />
          </Field>
          <Field label={t('ledger.reference')} error={form.fieldErrors.reference}>
            <input className="input" name="reference" value={reference} onChange={(e) => setReference(e.target.value)} />
          </Field>
          <Field label={t('ledger.proof_file')} required error={form.fieldErrors.file}>
            <input
              className="input"
              name="file"
              type="file"
              accept="image/*,application/pdf"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </Field>
          {form.formError ? <ErrorBanner error={form.formError} /> : null}
          {sent && (
            <div className="banner banner--success" role="status">
              {t('ledger.proof_sent')}
            </div>
          )}
          <button type="submit" className="btn btn--primary btn--block" disabled={form.submitting || !file}>
            {t('ledger.send_proof')}
          </button>
        </form>
      </section>
      {proofs.data && proofs.data.items.length > 0 && (
        <>
          <h2>{t('ledger.my_proofs')}</h2>
          <ul className="my-proofs" data-testid="my-proofs">
            {proofs.data?.items.map((p) => (
              <li key={p.id} className="card my-proofs__item" data-testid="my-proof" data-status={p.status}>
                <div className="my-proofs__head">
                  <strong>{formatRupiah(Number(p.amount))}</strong>
                  <Badge tone={STATUS_TONE[p.status] ?? 'grey'}>{t(`ledger.proofs_status_${p.status}` as MessageKey)}</Badge>
                </div>
                <div className="my-proofs__meta">
                  {t('ledger.proofs_col_transfer_date')}: {formatDay(todayIn(calendar.zone, new Date(p.paid_at)), locale)}
                  {p.reference ? ` · ${p.reference}` : ''}
                </div>
                {p.status === 'rejected' && p.review_reason && (
                  <div className="my-proofs__reason" data-testid="my-proof-reason">
                    {t('ledger.proofs_reason_label')}: {p.review_reason}
                  </div>
                )}
                {p.status === 'verified' && p.payment_id && (
                  <a
                    className="btn btn--secondary btn--small"
                    href={fileUrl(estatePath(estateId, `/portal/payments/${p.payment_id}/receipt.pdf`), {})}
                    target="_blank"
                    rel="noopener"
                    data-testid="my-proof-receipt"
                  >
                    {t('ledger.proofs_see_receipt')}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('ledger.my_payments')}</h2>
      {/* Cards, not a table row: a phone fits the number, amount, status and the receipt button without scrolling sideways. */}
      <ul className="my-proofs" data-testid="my-payments">
        {payments.data?.items.map((p) => (
          <li key={p.id} className="card my-proofs__item">
            <div className="my-proofs__head">
              <strong>{formatRupiah(p.amount)}</strong>
              <Badge tone={STATUS_TONE[p.status]}>{t(statusKey(p.status))}</Badge>
            </div>
            <div className="my-proofs__meta">
              <span className="table__mono">{p.payment_number}</span> · {calendar.formatPaidAt(p.paid_at, locale)} ·{' '}
              {t(methodKey(p.method))}
            </div>
            <a
              className="btn btn--secondary btn--small"
              href={fileUrl(estatePath(estateId, `/portal/payments/${p.id}/receipt.pdf`), {})}
              download={`kuitansi-${p.payment_number}.pdf`}
              data-testid="my-receipt"
            >
              {t('ledger.receipt_pdf')}
            </a>
          </li>
        ))}
      </ul>
      {payments.data?.items.length === 0 && <p>{t('ledger.none_yet')}</p>}
    </>
  );
}
