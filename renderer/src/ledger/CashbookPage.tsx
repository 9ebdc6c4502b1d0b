import { useState, type FormEvent } from 'react';
import { accountName } from './account-name.ts';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { Field, allFieldsValid } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { usePromptDialog } from '../components/PromptDialog.tsx';
import { Pagination } from '../components/Pagination.tsx';
import { formatDay } from '../format/date.ts';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useApiForm } from '../hooks/useApiForm.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useSearchParams } from '../router/navigation.ts';
import { useEstateId, useSession } from '../session/SessionProvider.tsx';
import { api, estatePath, newIdempotencyKey, postIdempotent, type Paged } from './api.ts';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import type { CashbookAccount, CashbookEntry, CashbookVerification } from '../../../server/cashbook/schemas.ts';
import './ledger.css';

/** Asked without a period, every account comes with its balance now. */
type Account = CashbookAccount & { balance: number };
type Entry = CashbookEntry;

const PAGE = 50;
const ENTRY_FIELDS = ['account_id', 'direction', 'amount', 'category', 'entry_date', 'description'] as const;

export default function CashbookPage() {
  const calendar = useEstateCalendar();
  const { ask, dialog } = usePromptDialog();
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const offset = Number(params.get('offset') ?? 0) || 0;
  const [version, setVersion] = useState(0);
  const refresh = () => setVersion((v) => v + 1);
  const accounts = useApiData(
    (s) => api.get<{ items: Account[] }>(estatePath(estateId, '/cashbook/accounts'), undefined, s),
    `${estateId}:${version}`,
  );
  const entries = useApiData(
    (s) => api.get<Paged<Entry>>(estatePath(estateId, '/cashbook/entries'), { limit: PAGE, offset }, s),
    `${estateId}:${offset}:${version}`,
  );
  const [entry, setEntry] = useState({
    account_id: '',
    direction: 'out',
    amount: '',
    category: 'other_expense',
    entry_date: calendar.today(),
    description: '',
  });
  const [transfer, setTransfer] = useState({ from_account_id: '', to_account_id: '', amount: '' });
  const [account, setAccount] = useState({ name: '', kind: 'cash', opening_balance: '' });
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const form = useApiForm(ENTRY_FIELDS);
  const names = new Map(accounts.data?.items.map((a) => [a.id, accountName(a, t)]));
  const num = (s: string) => Number(s.replace(/\./g, ''));

  const act = async (fn: () => Promise<void>) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
      refresh();
    } catch (e) {
      setError(e);
    }
  };
  const addEntry = (e: FormEvent) => {
    e.preventDefault();
    if (!allFieldsValid(e)) return;
    void form.submit(async () => {
      await postIdempotent(
        estatePath(estateId, '/cashbook/entries'),
        { ...entry, account_id: entry.account_id || accounts.data?.items[0]?.id, amount: num(entry.amount) },
        newIdempotencyKey(),
      );
      setEntry({ ...entry, amount: '', description: '' });
      refresh();
    });
  };

  return (
    <>
      {dialog}
      <PageHeader title={t('ledger.cashbook_title')} />
      <div className="ledger-grid">
        <section className="card">
          <h2 className="card__title">{t('ledger.accounts')}</h2>
          <table className="table table--compact" data-testid="cashbook-accounts">
            <tbody>
              {accounts.data?.items.map((a) => (
                <tr key={a.id}>
                  <td>{accountName(a, t)}</td>
                  <td className="num">{formatRupiah(a.balance)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {can('cashbook.write') && (
            <div className="ledger-form">
              <input
                className="input"
                aria-label={t('ledger.new_account')}
                placeholder={t('ledger.new_account')}
                value={account.name}
                onChange={(e) => setAccount({ ...account, name: e.target.value })}
              />
              <select
                className="input"
                aria-label={t('ledger.account')}
                value={account.kind}
                onChange={(e) => setAccount({ ...account, kind: e.target.value })}
              >
                {['cash', 'bank', 'ewallet'].map((k) => (
                  <option key={k} value={k}>
                    {t(`ledger.account_kind_${k}` as 'ledger.account_kind_cash')}
                  </option>
                ))}
              </select>
              <input
                className="input"
                aria-label={t('ledger.opening_balance')}
                placeholder={t('ledger.opening_balance')}
                inputMode="numeric"
                value={account.opening_balance}
                onChange={(e) => setAccount({ ...account, opening_balance: e.target.value })}
              />
              <button
                type="button"
                className="btn btn--secondary"
                onClick={() =>
                  act(async () => {
                    await api.post(estatePath(estateId, '/cashbook/accounts'), {
                      name: account.name,
                      kind: account.kind,
                      opening_balance: account.opening_balance ? num(account.opening_balance) : undefined,
                    });
                    setAccount({ name: '', kind: 'cash', opening_balance: '' });
                  })
                }
              >
                {t('ledger.save')}
              </button>
            </div>
          )}
        </section>
        {can('cashbook.write') && (
          <section className="card">
            <h2 className="card__title">{t('ledger.transfer')}</h2>
            <div className="ledger-form">
              <select
                className="input"
                aria-label={t('ledger.from_account')}
                value={transfer.from_account_id}
                onChange={(e) => setTransfer({ ...transfer, from_account_id: e.target.value })}
              >
                <option value="">{t('ledger.from_account')}</option>
                {accounts.data?.items.map((a) => (
                  <option key={a.id} value={a.id}>
                    {accountName(a, t)}
                  </option>
                ))}
              </select>
              <select
                className="input"
                aria-label={t('ledger.to_account')}
                value={transfer.to_account_id}
                onChange={(e) => setTransfer({ ...transfer, to_account_id: e.target.value })}
              >
                <option value="">{t('ledger.to_account')}</option>
                {accounts.data?.items.map((a) => (
                  <option key={a.id} value={a.id}>
                    {accountName(a, t)}
                  </option>
                ))}
              </select>
              <input
                className="input"
                aria-label={t('ledger.amount')}
                placeholder={t('ledger.amount')}
                inputMode="numeric"
                value={transfer.amount}
                onChange={(e) => setTransfer({ ...transfer, amount: e.target.value })}
              />
              <button
                type="button"
                className="btn btn--secondary"
                onClick={() =>
                  act(async () => {
                    await postIdempotent(
                      estatePath(estateId, '/cashbook/transfers'),
                      { ...transfer, amount: num(transfer.amount), entry_date: calendar.today() },
                      newIdempotencyKey(),
                    );
                    setTransfer({ from_account_id: '', to_account_id: '', amount: '' });
                  })
                }
              >
                {t('ledger.transfer')}
              </button>
            </div>
            <div className="ledger-actions">
              {can('cashbook.close') && (
                <button
                  type="button"
                  className="btn btn--ghost"
                  onClick={async () => {
                    const period = await ask(t('ledger.close_month'), { initial: calendar.period(), type: 'month' });
                    if (period)
                      void act(async () => {
                        await api.post(estatePath(estateId, '/cashbook/close'), { period });
                      });
                  }}
                >
                  {t('ledger.close_month')}
                </button>
              )}
              <button
                type="button"
                className="btn btn--ghost"
                onClick={() =>
                  act(async () => {
                    const v = await api.get<CashbookVerification>(estatePath(estateId, '/cashbook/verify'));
                    setNotice(
                      v.ok ? t('ledger.chain_ok', { count: v.checked }) : t('ledger.chain_broken', { seq: v.first_broken?.seq ?? '?' }),
                    );
                  })
                }
              >
                {t('ledger.verify_chain')}
              </button>
            </div>
          </section>
        )}
      </div>
      {notice && (
        <div className="banner banner--success" role="status" data-testid="cashbook-notice">
          {notice}
        </div>
      )}
      {error ? <ErrorBanner error={error} /> : null}
      {can('cashbook.write') && (
        <form className="card form" onSubmit={addEntry} noValidate>
          <h2 className="card__title">{t('ledger.new_entry')}</h2>
          <div className="ledger-form">
            <Field label={t('ledger.account')} required error={form.fieldErrors.account_id}>
              <select className="input" value={entry.account_id} onChange={(e) => setEntry({ ...entry, account_id: e.target.value })}>
                {accounts.data?.items.map((a) => (
                  <option key={a.id} value={a.id}>
                    {accountName(a, t)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('ledger.col_status')} required error={form.fieldErrors.direction}>
              <select className="input" value={entry.direction} onChange={(e) => setEntry({ ...entry, direction: e.target.value })}>
                <option value="in">{t('ledger.direction_in')}</option>
                <option value="out">{t('ledger.direction_out')}</option>
              </select>
            </Field>
            <Field label={t('ledger.amount')} required error={form.fieldErrors.amount}>
              <input
                className="input"
                inputMode="numeric"
                value={entry.amount}
                onChange={(e) => setEntry({ ...entry, amount: e.target.value })}
              />
            </Field>
            <Field label={t('ledger.category')} required error={form.fieldErrors.category}>
              <input className="input" value={entry.category} onChange={(e) => setEntry({ ...entry, category: e.target.value })} />
            </Field>
            <Field label={t('ledger.entry_date')} required error={form.fieldErrors.entry_date}>
              <input
                className="input"
                type="date"
                value={entry.entry_date}
                onChange={(e) => setEntry({ ...entry, entry_date: e.target.value })}
              />
            </Field>
            <Field label={t('ledger.description')} required error={form.fieldErrors.description}>
              <input className="input" value={entry.description} onChange={(e) => setEntry({ ...entry, description: e.target.value })} />
            </Field>
          </div>
          {form.formError ? <ErrorBanner error={form.formError} /> : null}
          <button type="submit" className="btn btn--primary" disabled={form.submitting}>
            {t('ledger.save')}
          </button>
        </form>
      )}
      <div className="table-wrap" style={{ marginTop: 16 }}>
        <table className="table table--compact" data-testid="cashbook-entries">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('ledger.col_date')}</th>
              <th>{t('ledger.col_account')}</th>
              <th>{t('ledger.col_category')}</th>
              <th>{t('ledger.col_description')}</th>
              <th className="num">{t('ledger.col_in')}</th>
              <th className="num">{t('ledger.col_out')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.data?.items.map((e) => (
              <tr key={e.id}>
                <td>{e.seq}</td>
                <td>{formatDay(e.entry_date, locale)}</td>
                <td>{names.get(e.account_id) ?? ''}</td>
                <td>{e.category}</td>
                <td>{e.description}</td>
                <td className="num">{e.direction === 'in' ? formatRupiah(Number(e.amount)) : ''}</td>
                <td className="num">{e.direction === 'out' ? formatRupiah(Number(e.amount)) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {entries.data && entries.data.total > PAGE && (
        <Pagination total={entries.data.total} limit={PAGE} offset={offset} onOffset={(next) => setParams({ offset: next })} />
      )}
    </>
  );
}
