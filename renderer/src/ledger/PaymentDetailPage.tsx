import { useState } from 'react';
import { formatPeriod } from '../format/date.ts';
import { Badge } from '../components/Badge.tsx';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { usePromptDialog } from '../components/PromptDialog.tsx';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { PageProps } from '../faces/types.ts';
import { useEstateId, useSession } from '../session/SessionProvider.tsx';
import { apiFileRequest } from '../api/client.ts';
import { isApiError } from '../api/errors.ts';
import { Link } from '../router/Link.tsx';
import { api, estatePath, fileUrl, newIdempotencyKey, postIdempotent, type Payment } from './api.ts';
import { STATUS_TONE, methodKey, statusKey } from './labels.ts';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import './ledger.css';

export default function PaymentDetailPage({ params }: PageProps) {
  const calendar = useEstateCalendar();
  const { ask, dialog } = usePromptDialog();
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const { can } = useSession();
  const {
    data: p,
    error,
    reload,
  } = useApiData(
    (signal) => api.get<Payment>(estatePath(estateId, `/payments/${params.id}`), undefined, signal),
    `${estateId}:${params.id}`,
  );
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  // Printing is what makes the original: the first print says so, every later one is a numbered copy.
  const printedNotice = (printNumber: number) =>
    printNumber <= 1 ? t('ledger.printed_original') : t('ledger.printed_copy', { n: printNumber - 1 });
  const print = async () => {
    setActionError(null);
    setNotice(null);
    try {
      const res = await api.post<{ print_number: number }>(estatePath(estateId, `/payments/${params.id}/receipt/print`), {
        target: 'printer',
      });
      setNotice(`${t('ledger.printed')} ${printedNotice(res.print_number)}`);
    } catch (e) {
      setActionError(e);
    }
  };
  const printPdf = async (paymentNumber: string) => {
    setActionError(null);
    setNotice(null);
    try {
      const { blob, headers } = await apiFileRequest('POST', estatePath(estateId, `/payments/${params.id}/receipt/print`), {
        target: 'pdf',
      });
      const printNumber = Number(headers.get('X-Print-Number') ?? '1');
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `kuitansi-${paymentNumber}${printNumber > 1 ? `-salinan-${printNumber - 1}` : ''}.pdf`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setNotice(printedNotice(printNumber));
    } catch (e) {
      setActionError(e);
    }
  };
  const reverse = async () => {
    if (!p) return;
    // Reverses money already recorded: red, and the button says what it does.
    const reason = await ask(t('ledger.reverse_reason_prompt'), {
      tone: 'danger',
      confirmLabel: t('ledger.reverse'),
      title: t('ledger.reverse_confirm_title', { number: p.payment_number, amount: formatRupiah(p.amount) }),
      text: t('ledger.reverse_confirm_text'),
      maxLength: 500,
    });
    if (!reason) return;
    setActionError(null);
    try {
      await postIdempotent(estatePath(estateId, `/payments/${params.id}/reverse`), { reason }, newIdempotencyKey());
      reload();
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <>
      {dialog}
      <PageHeader title={p ? t('ledger.payment_title', { number: p.payment_number }) : t('ledger.payments_title')} />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {p && (
        <section className="card" data-testid="payment-detail">
          <dl className="facts">
            <dt>{t('ledger.unit')}</dt>
            <dd>{p.unit_code}</dd>
            <dt>{t('ledger.col_amount')}</dt>
            <dd data-testid="payment-amount">{formatRupiah(p.amount)}</dd>
            <dt>{t('ledger.method')}</dt>
            <dd>{t(methodKey(p.method))}</dd>
            <dt>{t('ledger.paid_at')}</dt>
            <dd>{calendar.formatPaidAt(p.paid_at, locale)}</dd>
            {p.reference && (
              <>
                <dt>{t('ledger.reference')}</dt>
                <dd>{p.reference}</dd>
              </>
            )}
            <dt>{t('ledger.col_status')}</dt>
            <dd>
              <Badge tone={STATUS_TONE[p.status]}>{t(statusKey(p.status))}</Badge>
              {p.reversal && <> {t('ledger.reversed_because', { reason: p.reversal.reason })}</>}
            </dd>
          </dl>
          <h2 className="card__title">{t('ledger.allocations')}</h2>
          <table className="table table--compact">
            <tbody>
              {p.allocations.map((a) => (
                <tr key={a.invoice_id}>
                  <td className="table__mono">{a.invoice_number}</td>
                  <td>{formatPeriod(a.period, locale)}</td>
                  <td className="num">{formatRupiah(a.amount)}</td>
                </tr>
              ))}
              {p.credit > 0 && (
                <tr>
                  <td colSpan={2}>{t('ledger.to_credit')}</td>
                  <td className="num">{formatRupiah(p.credit)}</td>
                </tr>
              )}
            </tbody>
          </table>
          <div className="ledger-actions">
            {can('receipts.print') && (
              <button
                type="button"
                className="btn btn--primary"
                onClick={() => void printPdf(p.payment_number)}
                data-testid="receipt-print-pdf"
              >
                {t('ledger.receipt_print_pdf')}
              </button>
            )}
            {can('receipts.print') && (
              <button type="button" className="btn btn--secondary" onClick={print}>
                {t('ledger.print_receipt')}
              </button>
            )}
            <a
              className="btn btn--ghost"
              href={fileUrl(estatePath(estateId, `/payments/${p.id}/receipt.pdf`), {})}
              download={`kuitansi-${p.payment_number}-salinan.pdf`}
              data-testid="receipt-download"
            >
              {t('ledger.receipt_pdf')}
            </a>
            {can('payments.reverse') && p.status === 'recorded' && (
              <button type="button" className="btn btn--ghost" onClick={reverse}>
                {t('ledger.reverse')}
              </button>
            )}
          </div>
          {notice && (
            <div className="banner banner--success" role="status">
              {notice}
            </div>
          )}
          {actionError ? <ErrorBanner error={actionError} /> : null}
          {isApiError(actionError) && actionError.code.startsWith('PRINTER_') && (
            <p>
              <Link href="/settings/printer" data-testid="printer-settings-link">
                {t('gate.printer_open_settings')}
              </Link>
            </p>
          )}
        </section>
      )}
    </>
  );
}
