import { useState, type FormEvent } from 'react';
import { formatPeriod } from '../format/date.ts';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { Field, allFieldsValid } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useApiForm } from '../hooks/useApiForm.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useEstateId, useSession } from '../session/SessionProvider.tsx';
import { api, estatePath } from './api.ts';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import type { FeeType } from '../../../server/ledger/billing-schemas.ts';
import './ledger.css';

const FIELDS = ['code', 'name', 'amount', 'basis', 'effective_from', 'vacant_rule'] as const;
const EDIT_FIELDS = ['name', 'amount', 'effective_from', 'inactive_from'] as const;
const nextPeriod = (period: string) => {
  const [y, m] = period.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

export default function FeeTypesPage() {
  const calendar = useEstateCalendar();
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const { can } = useSession();
  const { data, error, reload } = useApiData(
    (signal) => api.get<{ items: FeeType[] }>(estatePath(estateId, '/fee-types'), undefined, signal),
    estateId,
  );
  const [draft, setDraft] = useState({
    code: '',
    name: '',
    amount: '',
    basis: 'flat',
    effective_from: calendar.period(),
    vacant_rule: 'exempt',
  });
  const form = useApiForm(FIELDS);
  const editForm = useApiForm(EDIT_FIELDS);
  const [editing, setEditing] = useState<FeeType | null>(null);
  const [edit, setEdit] = useState({ name: '', amount: '', effective_from: '', inactive_from: '' });
  const setE = (k: keyof typeof edit) => (e: { target: { value: string } }) => setEdit({ ...edit, [k]: e.target.value });
  const startEdit = (f: FeeType) => {
    setEditing(f);
    const from = nextPeriod(calendar.period());
    setEdit({ name: f.name, amount: '', effective_from: from, inactive_from: f.inactive_from ?? from });
  };
  const patch = (body: Record<string, unknown>) =>
    editForm.submit(async () => {
      await api.patch(estatePath(estateId, `/fee-types/${editing!.id}`), body);
      setEditing(null);
      reload();
    });
  const saveEdit = (e: FormEvent) => {
    e.preventDefault();
    if (!allFieldsValid(e) || !editing) return;
    const body: Record<string, unknown> = {};
    if (edit.name.trim() !== editing.name) body.name = edit.name;
    // A new amount is a new rate from its month; months before it keep the rate they had.
    if (edit.amount.trim()) Object.assign(body, { amount: Number(edit.amount.replace(/\./g, '')), effective_from: edit.effective_from });
    if (!Object.keys(body).length) return setEditing(null);
    void patch(body);
  };
  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!allFieldsValid(e)) return;
    void form.submit(async () => {
      await api.post(estatePath(estateId, '/fee-types'), { ...draft, amount: Number(draft.amount.replace(/\./g, '')) });
      setDraft({ ...draft, code: '', name: '', amount: '' });
      reload();
    });
  };
  return (
    <>
      <PageHeader title={t('ledger.fee_types_title')} />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      <div className="table-wrap">
        <table className="table" data-testid="fee-types">
          <thead>
            <tr>
              <th>{t('ledger.col_code')}</th>
              <th>{t('ledger.col_name')}</th>
              <th>{t('ledger.col_basis')}</th>
              <th className="num">{t('ledger.col_amount')}</th>
              <th>{t('ledger.fee_effective')}</th>
              <th>{t('ledger.fee_status')}</th>
              {can('fees.write') && <th />}
            </tr>
          </thead>
          <tbody>
            {data?.items.map((f) => (
              <tr key={f.id}>
                <td className="table__mono">{f.code}</td>
                <td>{f.name}</td>
                <td>{t(f.basis === 'flat' ? 'ledger.fee_basis_flat' : 'ledger.fee_basis_per_m2')}</td>
                <td className="num">{f.amount === null ? '–' : formatRupiah(f.amount)}</td>
                <td>
                  {f.effective_from ? formatPeriod(f.effective_from, locale) : ''}
                  {f.rates
                    .filter((r) => f.effective_from !== null && r.effective_from > f.effective_from)
                    .slice(-1)
                    .map((r) => (
                      <div key={r.id} className="table__muted" data-testid="fee-next-rate">
                        {t('ledger.fee_next_rate', { amount: formatRupiah(r.amount), period: formatPeriod(r.effective_from, locale) })}
                      </div>
                    ))}
                </td>
                <td>
                  {f.inactive_from
                    ? t('ledger.fee_inactive_from', { period: formatPeriod(f.inactive_from, locale) })
                    : t('ledger.fee_active')}
                </td>
                {can('fees.write') && (
                  <td>
                    <button type="button" className="btn btn--ghost btn--small" onClick={() => startEdit(f)}>
                      {t('ledger.fee_edit')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && (
        <form className="card form" onSubmit={saveEdit} noValidate style={{ marginTop: 16 }} data-testid="fee-edit">
          <h2 className="card__title">{t('ledger.fee_edit_title', { name: editing.name })}</h2>
          <div className="ledger-form">
            <Field label={t('ledger.col_name')} required error={editForm.fieldErrors.name}>
              <input className="input" name="name" value={edit.name} onChange={setE('name')} />
            </Field>
            <Field label={t('ledger.fee_new_rate')} error={editForm.fieldErrors.amount}>
              <input className="input" name="amount" inputMode="numeric" value={edit.amount} onChange={setE('amount')} />
            </Field>
            <Field label={t('ledger.fee_new_rate_from')} required error={editForm.fieldErrors.effective_from}>
              <input className="input" type="month" name="effective_from" value={edit.effective_from} onChange={setE('effective_from')} />
            </Field>
          </div>
          <p className="table__muted">{t('ledger.fee_rate_note')}</p>
          {editForm.formError ? <ErrorBanner error={editForm.formError} /> : null}
          <div className="ledger-actions">
            <button type="submit" className="btn btn--primary" disabled={editForm.submitting}>
              {t('ledger.save')}
            </button>
            <button type="button" className="btn btn--ghost" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </button>
          </div>
          <div className="ledger-form">
            <Field label={t('ledger.fee_switch_off_from')} error={editForm.fieldErrors.inactive_from}>
              <input className="input" type="month" name="inactive_from" value={edit.inactive_from} onChange={setE('inactive_from')} />
            </Field>
            <div className="ledger-actions">
              <button
                type="button"
                className="btn btn--secondary"
                disabled={editForm.submitting || !edit.inactive_from}
                onClick={() => void patch({ inactive_from: edit.inactive_from })}
              >
                {t('ledger.fee_switch_off')}
              </button>
              {editing.inactive_from && (
                <button
                  type="button"
                  className="btn btn--ghost"
                  disabled={editForm.submitting}
                  onClick={() => void patch({ inactive_from: null })}
                >
                  {t('ledger.fee_switch_on')}
                </button>
              )}
            </div>
          </div>
        </form>
      )}
      {can('fees.write') && (
        <form className="card form" onSubmit={submit} noValidate style={{ marginTop: 16 }}>
          <h2 className="card__title">{t('ledger.fee_new')}</h2>
          <div className="ledger-form">
            <Field label={t('ledger.col_code')} required error={form.fieldErrors.code}>
              <input className="input" name="code" value={draft.code} onChange={set('code')} />
            </Field>
            <Field label={t('ledger.col_name')} required error={form.fieldErrors.name}>
              <input className="input" name="name" value={draft.name} onChange={set('name')} />
            </Field>
            <Field label={t('ledger.fee_amount')} required error={form.fieldErrors.amount}>
              <input className="input" name="amount" inputMode="numeric" value={draft.amount} onChange={set('amount')} />
            </Field>
            <Field label={t('ledger.col_basis')} required error={form.fieldErrors.basis}>
              <select className="input" name="basis" value={draft.basis} onChange={set('basis')}>
                <option value="flat">{t('ledger.fee_basis_flat')}</option>
                <option value="per_m2">{t('ledger.fee_basis_per_m2')}</option>
              </select>
            </Field>
            <Field label={t('ledger.fee_vacant')} required error={form.fieldErrors.vacant_rule}>
              <select className="input" name="vacant_rule" value={draft.vacant_rule} onChange={set('vacant_rule')}>
                <option value="exempt">{t('ledger.fee_vacant_exempt')}</option>
                <option value="charge">{t('ledger.fee_vacant_charge')}</option>
              </select>
            </Field>
            <Field label={t('ledger.fee_effective')} required error={form.fieldErrors.effective_from}>
              <input className="input" name="effective_from" value={draft.effective_from} onChange={set('effective_from')} />
            </Field>
          </div>
          {form.formError ? <ErrorBanner error={form.formError} /> : null}
          <button type="submit" className="btn btn--primary" disabled={form.submitting}>
            {t('ledger.save')}
          </button>
        </form>
      )}
    </>
  );
}
