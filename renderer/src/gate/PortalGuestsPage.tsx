import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { Field, allFieldsValid } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { useApiData } from '../hooks/useApiData.ts';
import { useLiveChanges } from '../hooks/useLiveChanges.ts';
import { useApiForm } from '../hooks/useApiForm.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import { instantOfLocalInput, localInputOf } from '../format/calendar.ts';
import './portal-guests.css';
import type { GateNotification, PortalVisits } from '../../../server/gate/schemas.ts';
import type { Pass } from '../../../server/passes/schemas.ts';

/** The portal's own passes always carry their credentials (the code and the QR the guest shows). */
export type PassItem = Pass & Required<Pick<Pass, 'code' | 'qr_image_url'>>;

type VisitLog = PortalVisits;

type Notice = GateNotification;

const FIELDS = ['name', 'phone', 'people', 'plate', 'purpose', 'valid_from', 'valid_until', 'max_uses'] as const;

function PassCard({ pass, onRevoke }: { pass: PassItem; onRevoke?: () => void }) {
  const calendar = useEstateCalendar();
  const { t, tDynamic, locale } = useI18n();
  return (
    <li className={`pass-card pass-card--${pass.status}`} data-testid="pass-card" data-pass-id={pass.id}>
      <img className="pass-card__qr" src={pass.qr_image_url} alt={`QR ${pass.name}`} width={128} height={128} data-testid="pass-qr" />
      <div className="pass-card__body">
        <strong className="pass-card__name">
          {pass.name}
          {pass.plate ? ` · ${pass.plate}` : ''}
        </strong>
        <span className="pass-card__code" data-testid="pass-code">
          {t('gate.portal_code', { code: pass.code })}
        </span>
        <span>
          {tDynamic(`gate.status_${pass.status}`, pass.status)}
          {pass.purpose ? ` · ${pass.purpose}` : ''}
        </span>
        <span className="muted">
          {t('gate.portal_valid', {
            from: calendar.formatDateTime(pass.valid_from, locale),
            until: calendar.formatDateTime(pass.valid_until, locale),
          })}
        </span>
        {pass.max_uses !== null && <span className="muted">{t('gate.portal_uses_left', { uses: pass.uses, max: pass.max_uses })}</span>}
        <div className="pass-card__actions">
          {pass.whatsapp_url && pass.status === 'active' && (
            <a className="btn btn--whatsapp" href={pass.whatsapp_url} target="_blank" rel="noreferrer" data-testid="pass-whatsapp">
              {t('gate.portal_send_whatsapp')}
            </a>
          )}
          {onRevoke && pass.status === 'active' && (
            <button type="button" className="btn" onClick={onRevoke}>
              {t('gate.portal_revoke')}
            </button>
          )}
        </div>
      </div>
    </li>
  );
}

/** Residents: their own pass, registering guests (QR + code + WhatsApp), and who came to their unit. */
export default function PortalGuestsPage() {
  const calendar = useEstateCalendar();
  const { t, locale } = useI18n();
  const { membership } = useSession();
  const base = `/estates/${membership?.estate_id}`;
  const passes = useApiData(
    (signal) => api.get<{ resident: PassItem[]; guests: PassItem[] }>(`${base}/portal/passes`, undefined, signal),
    base,
  );
  const visits = useApiData((signal) => api.get<VisitLog>(`${base}/portal/visits`, { limit: 20 }, signal), `${base}:visits`);
  const notices = useApiData(
    (signal) => api.get<{ items: Notice[] }>(`${base}/portal/gate-notifications`, { limit: 10 }, signal),
    `${base}:notices`,
  );
  // A guest arriving at the gate (a visit, a notice, a pass used) shows here while the page is open.
  useLiveChanges(membership?.estate_id, ['passes', 'visits', 'gate_notifications'], () => {
    passes.reload();
    visits.reload();
    notices.reload();
  });
  const form = useApiForm(FIELDS);
  const [kind, setKind] = useState<'guest' | 'temporary'>('guest');
  const [values, setValues] = useState(() => ({
    name: '',
    phone: '',
    people: '1',
    plate: '',
    purpose: '',
    valid_from: localInputOf(new Date(), calendar.zone),
    valid_until: localInputOf(new Date(Date.now() + 6 * 3_600_000), calendar.zone),
    max_uses: '1',
  }));
  const [created, setCreated] = useState<PassItem | null>(null);

  useEffect(() => {
    document.title = `${t('gate.portal_title')} · Klustera`;
  }, [t]);

  const set = (key: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!allFieldsValid(e)) return;
    void form.submit(async () => {
      const pass = await api.post<PassItem>(`${base}/portal/passes`, {
        kind,
        name: values.name,
        phone: values.phone || null,
        people: Number(values.people) || 1,
        plate: values.plate || null,
        purpose: values.purpose || null,
        valid_from: instantOfLocalInput(values.valid_from, calendar.zone),
        valid_until: instantOfLocalInput(values.valid_until, calendar.zone),
        max_uses: Number(values.max_uses) || 1,
      });
      setCreated(pass);
      setValues((v) => ({ ...v, name: '', phone: '', plate: '', purpose: '' }));
      passes.reload();
    });
  };

  const revoke = async (id: string) => {
    await api.post(`${base}/portal/passes/${id}/revoke`);
    passes.reload();
  };

  return (
    <div className="portal-guests">
      <PageHeader title={t('gate.portal_title')} />
      {passes.error ? <ErrorBanner error={passes.error} onRetry={passes.reload} /> : null}

      <section className="portal-guests__section">
        <h2>{t('gate.portal_my_pass')}</h2>
        <p className="muted">{t('gate.portal_my_pass_hint')}</p>
        <ul className="pass-list">
          {passes.data?.resident.map((p) => (
            <PassCard key={p.id} pass={p} />
          ))}
        </ul>
      </section>

      <section className="portal-guests__section">
        <h2>{t('gate.portal_invite_title')}</h2>
        <form className="portal-guests__form" onSubmit={submit} noValidate data-testid="guest-form">
          <div className="portal-guests__kinds" role="radiogroup">
            {(['guest', 'temporary'] as const).map((k) => (
              <label key={k}>
                <input type="radio" name="kind" checked={kind === k} onChange={() => setKind(k)} />
                {t(k === 'guest' ? 'gate.portal_kind_guest' : 'gate.portal_kind_temporary')}
              </label>
            ))}
          </div>
          <Field label={t('gate.portal_guest_name')} required error={form.fieldErrors.name}>
            <input name="name" value={values.name} onChange={set('name')} />
          </Field>
          <Field label={t('gate.portal_guest_phone')} error={form.fieldErrors.phone}>
            <input name="phone" type="tel" value={values.phone} onChange={set('phone')} />
          </Field>
          <Field label={t('gate.portal_purpose')} error={form.fieldErrors.purpose}>
            <input name="purpose" value={values.purpose} onChange={set('purpose')} />
          </Field>
          <Field label={t('gate.portal_plate')} error={form.fieldErrors.plate}>
            <input name="plate" value={values.plate} onChange={set('plate')} />
          </Field>
          <Field label={t('gate.portal_people')} error={form.fieldErrors.people}>
            <input name="people" type="number" min={1} max={100} value={values.people} onChange={set('people')} />
          </Field>
          <Field label={t('gate.portal_uses')} error={form.fieldErrors.max_uses}>
            <select name="max_uses" value={values.max_uses} onChange={set('max_uses')}>
              <option value="1">{t('gate.portal_uses_once')}</option>
              {[2, 3, 5, 10].map((n) => (
                <option key={n} value={n}>
                  {t('gate.portal_uses_many', { count: n })}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('gate.portal_from')} required error={form.fieldErrors.valid_from}>
            <input name="valid_from" type="datetime-local" value={values.valid_from} onChange={set('valid_from')} />
          </Field>
          <Field label={t('gate.portal_until')} required error={form.fieldErrors.valid_until}>
            <input name="valid_until" type="datetime-local" value={values.valid_until} onChange={set('valid_until')} />
          </Field>
          {form.formError && <ErrorBanner error={form.formError} />}
          <button type="submit" className="btn btn--primary" disabled={form.submitting}>
            {t('gate.portal_submit')}
          </button>
        </form>
        {created && (
          <p className="banner banner--success" role="status" data-testid="guest-created">
            {t('gate.portal_created', { name: created.name })}
          </p>
        )}
      </section>

      <section className="portal-guests__section">
        <h2>{t('gate.portal_guests')}</h2>
        {passes.data && passes.data.guests.length === 0 && <p className="muted">{t('gate.portal_guests_empty')}</p>}
        <ul className="pass-list">
          {passes.data?.guests.map((p) => (
            <PassCard key={p.id} pass={p} onRevoke={() => void revoke(p.id)} />
          ))}
        </ul>
      </section>

      <section className="portal-guests__section">
        <h2>{t('gate.portal_notifications')}</h2>
        <ul className="portal-guests__notices">
          {notices.data?.items.map((n) => (
            <li key={n.id}>
              <span className="muted">{calendar.formatDateTime(n.created_at, locale)}</span>{' '}
              {t(n.kind === 'walk_in' ? 'gate.portal_notification_walk_in' : 'gate.portal_notification_guest_arrived', {
                name: n.guest_name,
                purpose: n.purpose ?? '-',
                gate: n.gate_name ?? '-',
              })}
            </li>
          ))}
        </ul>
        <h2>{t('gate.portal_visits')}</h2>
        {visits.data && visits.data.items.length === 0 && <p className="muted">{t('gate.portal_visits_empty')}</p>}
        <ul className="portal-guests__visits">
          {visits.data?.items.map((v) => (
            <li key={v.id}>
              <span className="muted">{calendar.formatDateTime(v.occurred_at, locale)}</span> {v.person_name ?? '-'} ·{' '}
              {t(v.direction === 'in' ? 'gate.direction_in' : 'gate.direction_out')} ·{' '}
              {t(v.verdict === 'accepted' ? 'gate.log_accepted' : 'gate.log_rejected')} · {v.gate_name}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
