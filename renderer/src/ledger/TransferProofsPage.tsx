import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Badge } from '../components/Badge.tsx';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { Field, allFieldsValid } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { todayIn } from '../format/calendar.ts';
import { formatDay, formatPeriod } from '../format/date.ts';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { Link } from '../router/Link.tsx';
import { useSearchParams } from '../router/navigation.ts';
import { useEstateId } from '../session/SessionProvider.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import type { TransferProof } from '../../../server/ledger/payment-schemas.ts';
import { api, apiRequest, estatePath, fileUrl, newIdempotencyKey, postIdempotent, type Invoice, type Paged, type Payment } from './api.ts';
import { allocateOldestFirst } from './transfer-proof-allocation.ts';
import { STATUS_TONE } from './labels.ts';
import './ledger.css';
import './transfer-proofs.css';
import { DateField } from '../components/DateField.tsx';

type Status = TransferProof['status'];
const STATUSES: Status[] = ['pending', 'verified', 'rejected'];
const REASONS = ['wrong_amount', 'unreadable', 'not_received', 'duplicate'] as const;
interface ProofList {
  items: TransferProof[];
  total: number;
  pending_count: number;
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * The office's queue of residents' transfer proofs: oldest first, the proof beside the unit's open invoices, approve
 * (records the payment through the verify route) or reject with a reason, then on to the next one.
 */
export default function TransferProofsPage() {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const estateId = useEstateId();
  const [params, setParams] = useSearchParams();
  const chosen = params.get('status') ?? 'pending';
  const status: Status | '' = (STATUSES as string[]).includes(chosen) ? (chosen as Status) : '';
  const [version, setVersion] = useState(0);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; paymentId?: string } | null>(null);
  const list = useApiData(
    (s) => api.get<ProofList>(estatePath(estateId, '/transfer-proofs'), { status: status || undefined, limit: 100 }, s),
    `${estateId}:${status}:${version}`,
  );
  const items = list.data?.items ?? [];
  const selected = items.find((p) => p.id === selectedId) ?? (status === 'pending' ? items[0] : undefined);
  const today = calendar.today();

  const decided = (message: string, paymentId?: string) => {
    setNotice({ text: message, paymentId });
    setSelectedId(null);
    setVersion((v) => v + 1);
    window.dispatchEvent(new Event('klustera:transfer-proofs-changed'));
  };

  return (
    <>
      <PageHeader title={t('ledger.proofs_title')} />
      <div className="toolbar">
        <select
          className="input toolbar__select"
          aria-label={t('ledger.proofs_filter')}
          data-testid="proofs-filter"
          value={status || 'all'}
          onChange={(e) => {
            setSelectedId(null);
            setNotice(null);
            setParams({ status: e.target.value });
          }}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`ledger.proofs_status_${s}` as MessageKey)}
            </option>
          ))}
          <option value="all">{`${t('ledger.proofs_filter')}: ${t('ledger.proofs_all')}`}</option>
        </select>
      </div>
      {notice && (
        <div className="banner banner--success" role="status" data-testid="proofs-notice">
          {notice.text}
          {notice.paymentId && (
            <>
              {' '}
              <Link href={`/payments/${notice.paymentId}`} data-testid="proofs-notice-payment">
                {t('ledger.proofs_print_receipt')}
              </Link>
            </>
          )}
        </div>
      )}
      {list.error ? <ErrorBanner error={list.error} onRetry={list.reload} /> : null}
      <div className="proofs">
        <div className="proofs__list table-wrap">
          <table className="table table--clickable" data-testid="proofs-list">
            <thead>
              <tr>
                <th>{t('ledger.col_unit')}</th>
                <th>{t('ledger.col_resident')}</th>
                <th className="num">{t('ledger.proofs_claimed')}</th>
                <th>{t('ledger.proofs_col_transfer_date')}</th>
                <th>{t('ledger.proofs_col_note')}</th>
                <th>{t('ledger.proofs_col_age')}</th>
                {status !== 'pending' && <th>{t('ledger.col_status')}</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((p) => {
                const age = daysBetween(todayIn(calendar.zone, new Date(p.created_at)), today);
                return (
                  <tr
                    key={p.id}
                    aria-selected={selected?.id === p.id}
                    className={selected?.id === p.id ? 'proofs__row--selected' : undefined}
                    onClick={() => {
                      setSelectedId(p.id);
                      setNotice(null);
                    }}
                    data-testid="proof-row"
                  >
                    <td>{p.unit_code}</td>
                    <td>{p.resident_name ?? '–'}</td>
                    <td className="num">{formatRupiah(p.amount)}</td>
                    <td>{formatDay(todayIn(calendar.zone, new Date(p.paid_at)), locale)}</td>
                    <td className="proofs__note">{[p.reference, p.note].filter(Boolean).join(' · ') || '–'}</td>
                    <td>{age <= 0 ? t('ledger.proofs_age_today') : t('ledger.proofs_age_days', { n: age })}</td>
                    {status !== 'pending' && (
                      <td>
                        <Badge tone={STATUS_TONE[p.status] ?? 'grey'}>{t(`ledger.proofs_status_${p.status}` as MessageKey)}</Badge>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {list.data && items.length === 0 && <p data-testid="proofs-empty">{t('ledger.proofs_empty')}</p>}
        </div>
        <div className="proofs__detail">
          {selected ? (
            <ProofReview key={selected.id} proof={selected} onDecided={decided} />
          ) : (
            items.length > 0 && <p>{t('ledger.proofs_select')}</p>
          )}
        </div>
      </div>
    </>
  );
}

function ProofReview({ proof, onDecided }: { proof: TransferProof; onDecided: (message: string, paymentId?: string) => void }) {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const estateId = useEstateId();
  const transferDay = todayIn(calendar.zone, new Date(proof.paid_at));
  const [amount, setAmount] = useState(String(proof.amount));
  const [day, setDay] = useState(transferDay);
  const [reason, setReason] = useState<string>('');
  const [otherReason, setOtherReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const invoices = useApiData(
    (s) => api.get<Paged<Invoice>>(estatePath(estateId, '/invoices'), { unit_id: proof.unit_id, limit: 100 }, s),
    `${proof.unit_id}`,
  );
  const open = useMemo(() => (invoices.data?.items ?? []).filter((i) => i.outstanding > 0 && i.status !== 'void'), [invoices.data]);
  const amountNumber = Number(amount.replace(/\./g, ''));
  const plan = useMemo(() => allocateOldestFirst(open, Number.isSafeInteger(amountNumber) ? amountNumber : 0), [open, amountNumber]);
  const fileHref = fileUrl(estatePath(estateId, `/transfer-proofs/${proof.id}/proof`), {});
  const pending = proof.status === 'pending';
  useEffect(() => setError(null), [amount, day, reason]);

  const approve = async (e: FormEvent) => {
    e.preventDefault();
    if (!allFieldsValid(e)) return;
    setBusy(true);
    try {
      const body: { amount?: number; paid_at?: string } = {};
      if (amountNumber !== proof.amount) body.amount = amountNumber;
      if (day !== transferDay) body.paid_at = calendar.noonOf(day);
      const done = await postIdempotent<{ payment: Payment }>(
        estatePath(estateId, `/transfer-proofs/${proof.id}/verify`),
        body,
        idempotencyKey,
      );
      onDecided(t('ledger.proofs_approved_done', { number: done.payment.payment_number }), done.payment.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const reject = async () => {
    const text = reason === 'other' ? otherReason.trim() : reason ? t(`ledger.proofs_reason_${reason}` as MessageKey) : '';
    if (!text) return;
    setBusy(true);
    try {
      await apiRequest('POST', estatePath(estateId, `/transfer-proofs/${proof.id}/reject`), { body: { reason: text } });
      onDecided(t('ledger.proofs_rejected_done'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="proofs__review" data-testid="proof-review">
      <div className="proofs__file card">
        {proof.proof?.mime === 'application/pdf' ? (
          // The API never lets itself be framed, so a PDF opens in a tab of its own (inline, full size).
          <a className="btn btn--secondary" href={fileHref} target="_blank" rel="noopener" data-testid="proof-pdf">
            {t('ledger.proofs_open_pdf')}
          </a>
        ) : proof.proof ? (
          <a href={fileHref} target="_blank" rel="noopener" title={t('ledger.proofs_open_file')}>
            <img className="proofs__image" src={fileHref} alt={proof.proof.filename} data-testid="proof-image" />
          </a>
        ) : null}
      </div>
      <div className="proofs__side">
        <div className="card">
          <h2 className="card__title">
            {proof.unit_code} · {proof.resident_name ?? '–'}
          </h2>
          <p>
            {t('ledger.proofs_claimed')}: <strong>{formatRupiah(proof.amount)}</strong> · {formatDay(transferDay, locale)}
            {proof.reference ? ` · ${proof.reference}` : ''}
          </p>
          {proof.note && <p>{proof.note}</p>}
          {!pending && (
            <p data-testid="proof-decision">
              <Badge tone={STATUS_TONE[proof.status] ?? 'grey'}>{t(`ledger.proofs_status_${proof.status}` as MessageKey)}</Badge>{' '}
              {proof.reviewed_at &&
                t('ledger.proofs_decided_by', {
                  name: proof.reviewed_by_name ?? '–',
                  when: calendar.formatDateTime(proof.reviewed_at, locale),
                })}
              {proof.review_reason && (
                <>
                  <br />
                  {t('ledger.proofs_reason_label')}: {proof.review_reason}
                </>
              )}
              {proof.payment_id && (
                <>
                  <br />
                  <Link href={`/payments/${proof.payment_id}`}>{t('ledger.proofs_view_payment')}</Link>
                </>
              )}
            </p>
          )}
          <h3>{t('ledger.proofs_open_invoices')}</h3>
          <table className="table table--compact" data-testid="proof-invoices">
            <thead>
              <tr>
                <th>{t('ledger.col_period')}</th>
                <th className="num">{t('ledger.col_outstanding')}</th>
                {pending && <th className="num">{t('ledger.proofs_would_allocate')}</th>}
              </tr>
            </thead>
            <tbody>
              {open.map((inv) => (
                <tr key={inv.id}>
                  <td>{formatPeriod(inv.period, locale)}</td>
                  <td className="num">{formatRupiah(inv.outstanding)}</td>
                  {pending && <td className="num">{plan.byInvoice.get(inv.id) ? formatRupiah(plan.byInvoice.get(inv.id)!) : '–'}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          {invoices.data && open.length === 0 && <p>{t('ledger.none_yet')}</p>}
          {pending && plan.credit > 0 && (
            <p data-testid="proof-credit">
              {t('ledger.proofs_to_credit')}: {formatRupiah(plan.credit)}
            </p>
          )}
        </div>
        {pending && (
          <>
            <form className="card form" onSubmit={approve} noValidate data-testid="proof-approve-form">
              <Field label={t('ledger.proofs_amount_received')} required>
                <input className="input" name="amount" inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
              </Field>
              <Field label={t('ledger.proofs_transfer_date')} required>
                <DateField className="input" name="paid_at" value={day} max={calendar.today()} onChange={(e) => setDay(e.target.value)} />
              </Field>
              <button
                type="submit"
                className="btn btn--primary btn--block"
                disabled={busy || !(amountNumber > 0) || !day}
                data-testid="proof-approve"
              >
                {t('ledger.proofs_approve')}
              </button>
            </form>
            <div className="card form" data-testid="proof-reject-form">
              <Field label={t('ledger.proofs_reject_reason')} required>
                <select className="input" name="reason" value={reason} onChange={(e) => setReason(e.target.value)}>
                  <option value="">–</option>
                  {REASONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`ledger.proofs_reason_${r}` as MessageKey)}
                    </option>
                  ))}
                  <option value="other">{t('ledger.proofs_reason_other')}</option>
                </select>
              </Field>
              {reason === 'other' && (
                <Field label={t('ledger.proofs_reason_other_text')} required>
                  <input
                    className="input"
                    name="reason_text"
                    maxLength={500}
                    value={otherReason}
                    onChange={(e) => setOtherReason(e.target.value)}
                  />
                </Field>
              )}
              <button
                type="button"
                className="btn btn--secondary btn--block"
                disabled={busy || !reason || (reason === 'other' && !otherReason.trim())}
                onClick={() => void reject()}
                data-testid="proof-reject"
              >
                {t('ledger.proofs_reject')}
              </button>
            </div>
          </>
        )}
        {error ? <ErrorBanner error={error} /> : null}
      </div>
    </div>
  );
}
