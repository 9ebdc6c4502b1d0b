import { useEffect, useState, type FormEvent } from 'react';
import { Badge } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { grantPlatformAdmin, lookUpUser, type UserLookup } from './api.ts';
import type { Report } from './report.ts';

const FIELDS = ['q'] as const;

/** Who an email or phone belongs to, where they are a member and as what; from here an account becomes a platform admin. */
export function UserLookupCard({ version, onChanged, report }: { version: number; onChanged: () => void; report: Report }) {
  const { t } = useI18n();
  const form = useApiForm(FIELDS);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{ q: string; result: UserLookup; version: number } | null>(null);
  const search = (text: string) =>
    form.submit(async () => {
      setFound({ q: text, result: await lookUpUser(text), version });
    });
  // After a grant or revoke elsewhere on the page the shown account is asked again, so its badge and button stay true.
  const shown = found?.q;
  const stale = found !== null && found.version !== version;
  useEffect(() => {
    if (stale && shown)
      void lookUpUser(shown).then(
        (result) => setFound({ q: shown, result, version }),
        () => undefined,
      );
  }, [stale, shown, version]);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void search(q.trim());
  };
  const grant = async (id: string, name: string) => {
    try {
      await grantPlatformAdmin(id);
      report.notice('platform.lookup_granted', { name });
      onChanged();
    } catch (cause) {
      report.error(cause);
    }
  };
  return (
    <section className="card" data-testid="user-lookup">
      <h2 className="card__title">{t('platform.lookup_title')}</h2>
      <form className="platform__lookup" onSubmit={onSubmit} noValidate>
        <Field label={t('platform.lookup_label')} error={form.fieldErrors.q} required>
          <input
            className="input"
            name="q"
            autoComplete="off"
            maxLength={254}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              form.clearField('q');
            }}
          />
        </Field>
        <button type="submit" className="btn btn--primary" disabled={form.submitting || q.trim() === ''}>
          {t('platform.lookup_submit')}
        </button>
      </form>
      {form.formError && <ErrorBanner error={form.formError} />}
      {found && found.result.items.length === 0 && <p className="muted">{t('platform.lookup_none')}</p>}
      {found?.result.items.map((user) => (
        <div key={user.id} className="platform__account" data-testid="lookup-result">
          <div className="platform__account-head">
            <div>
              <strong>{user.name}</strong>
              <div className="muted platform__small">{[user.email, user.phone].filter(Boolean).join(' · ')}</div>
            </div>
            {user.is_platform_admin ? (
              <Badge tone="blue">{t('platform.lookup_platform_admin')}</Badge>
            ) : (
              user.status === 'active' && (
                <button type="button" className="btn btn--secondary btn--small" onClick={() => void grant(user.id, user.name)}>
                  {t('platform.lookup_grant')}
                </button>
              )
            )}
          </div>
          {user.estates.length === 0 ? (
            <p className="muted">{t('platform.lookup_no_estates')}</p>
          ) : (
            <ul className="people">
              {user.estates.map((m) => (
                <li key={`${m.estate_id}:${m.role}`} className="people__item">
                  <span>
                    {m.estate_name}
                    {m.estate_status === 'suspended' && (
                      <>
                        {' '}
                        <Badge tone="red">{t('platform.status_suspended')}</Badge>
                      </>
                    )}
                  </span>
                  <span className="muted">
                    {t(`auth.role_${m.role}`)}
                    {m.membership_status === 'deactivated' && ` · ${t('platform.membership_deactivated')}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}
