import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pagination } from '../components/Pagination.tsx';
import { SearchPicker } from '../components/SearchPicker.tsx';
import { Badge } from '../components/Badge.tsx';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import type { PassItem } from './PortalGuestsPage.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import { instantOfLocalInput, localInputOf } from '../format/calendar.ts';
import './access-log.css';

const LIMIT = 50;

/** Office: pre-register a guest or a service visit for any unit, and see or revoke every pass of the estate. */
export default function OfficePassesPage() {
  const calendar = useEstateCalendar();
  const { t, tDynamic, locale } = useI18n();
  const { membership, can } = useSession();
  const base = `/estates/${membership?.estate_id}`;
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const passes = useApiData(
    (signal) =>
      api.get<{ items: (PassItem & { unit_code: string })[]; total: number }>(`${base}/passes`, { q, limit: LIMIT, offset }, signal),
    `${base}:${q}:${offset}`,
  );
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<PassItem | null>(null);
  const [unit, setUnit] = useState<{ text: string; id: string | null }>({ text: '', id: null });
  const [form, setForm] = useState(() => ({
    kind: 'guest',
    name: '',
    phone: '',
    purpose: '',
    plate: '',
    max_uses: '1',
    valid_from: localInputOf(new Date(), calendar.zone),
    valid_until: localInputOf(new Date(Date.now() + 6 * 3_600_000), calendar.zone),
  }));

  useEffect(() => {
    document.title = `${t('gate.passes_title')} · Klustera`;
  }, [t]);

  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const pass = await api.post<PassItem>(`${base}/passes`, {
        kind: form.kind,
        unit_id: unit.id,
        name: form.name,
        phone: form.phone || null,
        purpose: form.purpose || null,
        plate: form.plate || null,
        max_uses: Number(form.max_uses) || 1,
        valid_from: instantOfLocalInput(form.valid_from, calendar.zone),
        valid_until: instantOfLocalInput(form.valid_until, calendar.zone),
      });
      setCreated(pass);
      setForm((f) => ({ ...f, name: '', phone: '', purpose: '', plate: '' }));
      passes.reload();
    } catch (err) {
      setError(err);
    }
  };

  const revoke = async (id: string) => {
    await api.post(`${base}/passes/${id}/revoke`).catch(setError);
    passes.reload();
  };

  const searchUnits = async (text: string, signal: AbortSignal) =>
    (await api.get<{ items: { id: string; code: string }[] }>(`${base}/units`, { q: text, limit: 10 }, signal)).items.map((u) => ({
      id: u.id,
      label: u.code,
    }));

  return (
    <>
      <PageHeader title={t('gate.passes_title')} subtitle={t('gate.passes_subtitle')} />
      {error !== null && <ErrorBanner error={error} />}
      {can('passes.write') && (
        <form className="toolbar access-log__filters" onSubmit={submit} data-testid="office-pass-form">
          <label>
            {t('gate.passes_kind')}
            <select value={form.kind} onChange={set('kind')}>
              <option value="guest">{t('gate.portal_kind_guest')}</option>
              <option value="temporary">{t('gate.portal_kind_temporary')}</option>
            </select>
          </label>
          <label>
            {t('gate.walk_in_unit')}
            <SearchPicker
              search={searchUnits}
              text={unit.text}
              onChange={(text, id) => setUnit({ text, id })}
              placeholder="A-12"
              required
            />
          </label>
          <label>
            {t('gate.portal_guest_name')}
            <input required value={form.name} onChange={set('name')} />
          </label>
          <label>
            {t('gate.portal_guest_phone')}
            <input type="tel" value={form.phone} onChange={set('phone')} />
          </label>
          <label>
            {t('gate.portal_purpose')}
            <input value={form.purpose} onChange={set('purpose')} />
          </label>
          <label>
            {t('gate.portal_plate')}
            <input value={form.plate} onChange={set('plate')} />
          </label>
          <label>
            {t('gate.portal_from')}
            <input type="datetime-local" value={form.valid_from} onChange={set('valid_from')} />
          </label>
          <label>
            {t('gate.portal_until')}
            <input type="datetime-local" value={form.valid_until} onChange={set('valid_until')} />
          </label>
          <label>
            {t('gate.portal_uses')}
            <select value={form.max_uses} onChange={set('max_uses')}>
              <option value="1">{t('gate.portal_uses_once')}</option>
              {[2, 3, 5, 10].map((n) => (
                <option key={n} value={n}>
                  {t('gate.portal_uses_many', { count: n })}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn btn--primary" disabled={!unit.id}>
            {t('gate.portal_submit')}
          </button>
        </form>
      )}
      {created && (
        <div className="banner banner--success" role="status">
          {t('gate.portal_created', { name: created.name })} {t('gate.portal_code', { code: created.code })}{' '}
          {created.whatsapp_url && (
            <a className="btn btn--whatsapp" href={created.whatsapp_url} target="_blank" rel="noreferrer">
              {t('gate.portal_send_whatsapp')}
            </a>
          )}{' '}
          <a className="btn" href={created.qr_image_url} target="_blank" rel="noreferrer">
            QR
          </a>
        </div>
      )}
      <div className="toolbar access-log__filters">
        <label>
          {t('gate.passes_search')}
          <input
            type="search"
            value={q}
            onChange={(e) => {
              setOffset(0);
              setQ(e.target.value);
            }}
          />
        </label>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{t('gate.log_col_name')}</th>
              <th>{t('gate.passes_kind')}</th>
              <th>{t('gate.log_col_unit')}</th>
              {can('passes.write') && <th>{t('gate.passes_code')}</th>}
              <th>{t('gate.passes_valid')}</th>
              <th>{t('gate.passes_status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {passes.data?.items.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.name}
                  {p.plate ? ` · ${p.plate}` : ''}
                </td>
                <td>{tDynamic(`gate.kind_${p.kind}`, p.kind)}</td>
                <td>{p.unit_code}</td>
                {/* Codes are credentials: the server sends them to the office only, not to the guard post. */}
                {can('passes.write') && <td className="gate-mono">{p.code}</td>}
                <td>
                  {calendar.formatDateTime(p.valid_from, locale)} – {calendar.formatDateTime(p.valid_until, locale)}
                </td>
                <td>
                  <Badge tone={p.status === 'active' ? 'green' : 'grey'}>{tDynamic(`gate.status_${p.status}`, p.status)}</Badge>
                </td>
                <td>
                  {can('passes.write') && p.status === 'active' && (
                    <button type="button" className="btn btn--small" onClick={() => void revoke(p.id)}>
                      {t('gate.portal_revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {passes.data && <Pagination total={passes.data.total} limit={LIMIT} offset={offset} onOffset={setOffset} />}
    </>
  );
}
