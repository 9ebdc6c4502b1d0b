import { useState, type FormEvent } from 'react';
import { categoryName } from '../../../shared/cash-categories.ts';
import { isApiError } from '../api/errors.ts';
import { useConfirmDialog } from '../components/ConfirmDialog.tsx';
import { accountName } from './account-name.ts';
import { CashbookCategoriesCard } from './CashbookCategoriesCard.tsx';
import { ClosedMonthsCard } from './ClosedMonthsCard.tsx';
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
import type { CashbookAccount, CashbookCategory, CashbookEntry, CashbookVerification } from '../../../server/cashbook/schemas.ts';
import './ledger.css';
import { DateField } from '../components/DateField.tsx';

/** Asked without a period, every account comes with its balance now. */
type Account = CashbookAccount & { balance: number };
type Entry = CashbookEntry & { running_balance: number };

const NEW_CATEGORY = '__new';
const DEFAULT_CATEGORY = { in: 'other_income', out: 'other_expense' } as const;

const PAGE = 50;
const ENTRY_FIELDS = ['account_id', 'direction', 'amount', 'category', 'entry_date', 'description'] as const;

/** An account picker by readable name; `placeholder` starts with an empty choice named like the field. */
function AccountSelect(props: {
  label: string;
  accounts: readonly CashbookAccount[];
  value: string;
  onChange: (id: string) => void;
  placeholder?: boolean;
}) {
  const { t } = useI18n();
  return (
    <select className="input" aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {props.placeholder && <option value="">{props.label}</option>}
      {props.accounts.map((a) => (
        <option key={a.id} value={a.id}>
          {accountName(a, t)}
        </option>
      ))}
    </select>
  );
}

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
  const categories = useApiData(
    (s) => api.get<{ items: CashbookCategory[] }>(estatePath(estateId, '/cashbook/categories'), undefined, s),
    `${estateId}:${version}`,
  );
  const { confirm, dialog: confirmDialog } = useConfirmDialog();
  const [opening, setOpening] = useState({ account_id: '', amount: '', entry_date: calendar.today() });
  const [transfer, setTransfer] = useState({ from_account_id: '', to_account_id: '', amount: '' });
  const [account, setAccount] = useState({ name: '', kind: 'cash', opening_balance: '' });
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const form = useApiForm(ENTRY_FIELDS);
  const names = new Map(accounts.data?.items.map((a) => [a.id, accountName(a, t)]));
  const num = (s: string) => Number(s.replace(/\./g, ''));
  const lang = locale.startsWith('en') ? 'en' : 'id';
  const ownNames = new Map(categories.data?.items.filter((c) => !c.built_in).map((c) => [c.code, c.name]));
  const catName = (code: string) => categoryName(code, lang, ownNames);
  const choices = categories.data?.items.filter((c) => c.direction === entry.direction && !c.retired) ?? [];
  const withoutOpening = accounts.data?.items.filter((a) => a.opening_balance === 0) ?? [];

  /**
   * Money out that takes an account below zero is refused by the server until the treasurer confirms it here, so a
   * mistyped amount or the wrong account is caught before it is in the chained book.
   */
  const postConfirmingBelowZero = async (path: string, body: Record<string, unknown>, accountId: string, amount: number) => {
    try {
      await postIdempotent(path, body, newIdempotencyKey());
    } catch (err) {
      if (!isApiError(err) || err.code !== 'BALANCE_BELOW_ZERO') throw err;
      const acc = accounts.data?.items.find((a) => a.id === accountId);
      const yes = await confirm({
        title: t('ledger.below_zero_title'),
        text: t('ledger.below_zero_text', {
          amount: formatRupiah(amount),
          account: acc ? accountName(acc, t) : '',
          balance: formatRupiah(acc?.balance ?? 0),
        }),
        confirmLabel: t('ledger.below_zero_confirm'),
        // Records money really spent, nothing is taken away or reversed; the question is a second look, not a warning.
        tone: 'primary',
      });
      if (!yes) return false;
      await postIdempotent(path, { ...body, confirm_below_zero: true }, newIdempotencyKey());
    }
    return true;
  };

  const chooseCategory = async (value: string) => {
    if (value !== NEW_CATEGORY) {
      setEntry({ ...entry, category: value });
      return;
    }
    const name = await ask(t('ledger.category_new_prompt'), { tone: 'primary', maxLength: 80 });
    if (!name) return;
    await act(async () => {
      const added = await api.post<CashbookCategory>(estatePath(estateId, '/cashbook/categories'), { name, direction: entry.direction });
      setEntry((current) => ({ ...current, category: added.code }));
    });
  };

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
      const accountId = entry.account_id || accounts.data?.items[0]?.id || '';
      const amount = num(entry.amount);
      const saved = await postConfirmingBelowZero(
        estatePath(estateId, '/cashbook/entries'),
        { ...entry, account_id: accountId, amount },
        accountId,
        amount,
      );
      if (!saved) return;
      setEntry({ ...entry, amount: '', description: '' });
      refresh();
    });
  };

  return (
    <>
      {dialog}
      {confirmDialog}
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
        {can('cashbook.write') && accounts.data && (
          <section className="card" data-testid="cashbook-opening">
            <h2 className="card__title">{t('ledger.opening_title')}</h2>
            {withoutOpening.length === 0 ? (
              <p className="muted">{t('ledger.opening_done')}</p>
            ) : (
              <>
                <p className="muted">{t('ledger.opening_hint')}</p>
                <div className="ledger-form">
                  <AccountSelect
                    label={t('ledger.account')}
                    accounts={withoutOpening}
                    value={opening.account_id || withoutOpening[0].id}
                    onChange={(id) => setOpening({ ...opening, account_id: id })}
                  />
                  <input
                    className="input"
                    aria-label={t('ledger.opening_amount')}
                    placeholder={t('ledger.opening_amount')}
                    inputMode="numeric"
                    value={opening.amount}
                    onChange={(e) => setOpening({ ...opening, amount: e.target.value })}
                  />
                  <DateField
                    className="input"
                    aria-label={t('ledger.opening_date')}
                    value={opening.entry_date}
                    onChange={(e) => setOpening({ ...opening, entry_date: e.target.value })}
                  />
                  <button
                    type="button"
                    className="btn btn--secondary"
                    onClick={() =>
                      act(async () => {
                        const accountId = opening.account_id || withoutOpening[0].id;
                        await api.post(estatePath(estateId, `/cashbook/accounts/${accountId}/opening`), {
                          amount: num(opening.amount),
                          entry_date: opening.entry_date,
                        });
                        setOpening({ account_id: '', amount: '', entry_date: opening.entry_date });
                      })
                    }
                  >
                    {t('ledger.opening_save')}
                  </button>
                </div>
              </>
            )}
          </section>
        )}
        {can('cashbook.write') && (
          <section className="card">
            <h2 className="card__title">{t('ledger.transfer')}</h2>
            <div className="ledger-form">
              <AccountSelect
                label={t('ledger.from_account')}
                accounts={accounts.data?.items ?? []}
                value={transfer.from_account_id}
                onChange={(id) => setTransfer({ ...transfer, from_account_id: id })}
                placeholder
              />
              <AccountSelect
                label={t('ledger.to_account')}
                accounts={accounts.data?.items ?? []}
                value={transfer.to_account_id}
                onChange={(id) => setTransfer({ ...transfer, to_account_id: id })}
                placeholder
              />
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
                    const amount = num(transfer.amount);
                    const saved = await postConfirmingBelowZero(
                      estatePath(estateId, '/cashbook/transfers'),
                      { ...transfer, amount, entry_date: calendar.today() },
                      transfer.from_account_id,
                      amount,
                    );
                    if (saved) setTransfer({ from_account_id: '', to_account_id: '', amount: '' });
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
                    const period = await ask(t('ledger.close_month'), {
                      initial: calendar.period(),
                      type: 'month',
                      // Nothing is removed or reversed, and the month can be reopened with a reason (POST …/cashbook/reopen).
                      tone: 'primary',
                      confirmLabel: t('ledger.close_month'),
                    });
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
        {can('cashbook.read') && <ClosedMonthsCard version={version} ask={ask} act={act} onReopened={setNotice} />}
        {can('cashbook.write') && categories.data && <CashbookCategoriesCard categories={categories.data.items} act={act} />}
      </div>
      {notice && (
        <div className="banner banner--success" role="status" data-testid="cashbook-notice">
          {notice}
        </div>
      )}
      {error ? <ErrorBanner error={error} /> : null}
      {can('cashbook.write') && (
        <form className="card form" onSubmit={addEntry} noValidate data-testid="cashbook-entry-form">
          <h2 className="card__title">{t('ledger.new_entry')}</h2>
          <div className="ledger-form ledger-form--fields">
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
              <select
                className="input"
                value={entry.direction}
                onChange={(e) => {
                  const direction = e.target.value as 'in' | 'out';
                  const keep = categories.data?.items.some((c) => c.code === entry.category && c.direction === direction && !c.retired);
                  setEntry({ ...entry, direction, category: keep ? entry.category : DEFAULT_CATEGORY[direction] });
                }}
              >
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
              <select className="input" name="category" value={entry.category} onChange={(e) => void chooseCategory(e.target.value)}>
                {choices.map((c) => (
                  <option key={c.code} value={c.code}>
                    {catName(c.code)}
                  </option>
                ))}
                <option value={NEW_CATEGORY}>{t('ledger.category_add')}</option>
              </select>
            </Field>
            <Field label={t('ledger.entry_date')} required error={form.fieldErrors.entry_date}>
              <DateField className="input" value={entry.entry_date} onChange={(e) => setEntry({ ...entry, entry_date: e.target.value })} />
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
              <th className="num">{t('ledger.col_balance')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.data?.items.map((e) => (
              <tr key={e.id}>
                <td>{e.seq}</td>
                <td>{formatDay(e.entry_date, locale)}</td>
                <td>{names.get(e.account_id) ?? ''}</td>
                <td>{catName(e.category)}</td>
                <td>{e.description}</td>
                <td className="num">{e.direction === 'in' ? formatRupiah(Number(e.amount)) : ''}</td>
                <td className="num">{e.direction === 'out' ? formatRupiah(Number(e.amount)) : ''}</td>
                <td className={`num${e.running_balance < 0 ? ' cashbook-balance--negative' : ''}`} data-testid="running-balance">
                  {formatRupiah(e.running_balance)}
                </td>
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
