import { useState, type FormEvent } from 'react';
import { createUser } from '../../api/users.ts';
import { listResidents } from '../../api/residents.ts';
import { SearchPicker } from '../../components/SearchPicker.tsx';
import { UsersTable } from './UsersTable.tsx';
import type { Role, UserCreated } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { useEstateId, useSession } from '../../session/SessionProvider.tsx';
import { InviteCard } from './InviteCard.tsx';

const FIELDS = ['name', 'email', 'phone', 'role', 'password', 'resident_id'] as const;

/** Roles an estate grants; platform_admin belongs to the hosted instance, not to an estate's user list. */
const ESTATE_ROLES: Role[] = ['estate_admin', 'treasurer', 'staff', 'guard', 'resident'];
const roleKey = (role: Role): MessageKey => `auth.role_${role}`;

const EMPTY = { name: '', email: '', phone: '', role: 'treasurer' as Role, password: '', resident: '', resident_id: null as string | null };

export default function UsersPage() {
  const { t } = useI18n();
  const estateId = useEstateId();
  const { can } = useSession();
  const form = useApiForm(FIELDS);
  const [values, setValues] = useState(EMPTY);
  const [mode, setMode] = useState<'invite' | 'password'>('invite');
  const [created, setCreated] = useState<UserCreated | null>(null);
  const [listVersion, setListVersion] = useState(0);
  // Only admins may give out every role; a treasurer may invite residents (invites.write without users.write).
  const roles = can('users.write') ? ESTATE_ROLES : (['resident'] as Role[]);

  const bind = (name: 'name' | 'email' | 'phone' | 'password') => ({
    name,
    value: values[name],
    onChange: (e: { target: { value: string } }) => {
      setValues((current) => ({ ...current, [name]: e.target.value }));
      form.clearField(name);
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(async () => {
      const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
      const result = await createUser(estateId, {
        name: values.name.trim(),
        email: optional(values.email),
        phone: optional(values.phone),
        role: roles.includes(values.role) ? values.role : roles[0]!,
        password: mode === 'password' ? values.password : undefined,
        resident_id: values.role === 'resident' ? (values.resident_id ?? undefined) : undefined,
      });
      setCreated(result);
      setListVersion((n) => n + 1);
      setValues(EMPTY);
    });
  };

  const e = form.fieldErrors;
  return (
    <>
      <PageHeader title={t('users.title')} subtitle={t('users.subtitle')} />
      <div className="grid grid--2">
        <form className="card form" onSubmit={onSubmit} noValidate>
          <h2 className="card__title">{t('users.form_title')}</h2>
          {form.formError && <ErrorBanner error={form.formError} />}
          <Field label={t('users.name')} error={e.name} required>
            <input className="input" autoComplete="off" {...bind('name')} />
          </Field>
          <div className="form__row">
            <Field label={t('users.email')} error={e.email}>
              <input className="input" type="email" autoComplete="off" {...bind('email')} />
            </Field>
            <Field label={t('users.phone')} error={e.phone}>
              <input className="input" type="tel" autoComplete="off" {...bind('phone')} />
            </Field>
          </div>
          <Field label={t('users.role')} error={e.role} required>
            <select
              className="input"
              name="role"
              value={values.role}
              onChange={(ev) => setValues((current) => ({ ...current, role: ev.target.value as Role }))}
            >
              {roles.map((role) => (
                <option key={role} value={role}>
                  {t(roleKey(role))}
                </option>
              ))}
            </select>
          </Field>
          {values.role === 'resident' && (
            <Field label={t('users.resident')} hint={t('users.resident_hint')} error={e.resident_id} required>
              <SearchPicker
                search={async (text, signal) =>
                  (await listResidents(estateId, { q: text, limit: 20 }, signal)).items.map((r) => ({
                    id: r.id,
                    label: r.unit_code ? `${r.name} (${r.unit_code})` : r.name,
                  }))
                }
                text={values.resident}
                placeholder={t('users.resident_placeholder')}
                onChange={(text, id) => {
                  setValues((current) => ({
                    ...current,
                    resident: text,
                    resident_id: id,
                    name: id && current.name === '' ? text.replace(/ \(.*\)$/, '') : current.name,
                  }));
                  form.clearField('resident_id');
                }}
              />
            </Field>
          )}
          <fieldset className="choice">
            <legend className="field__label">{t('users.mode')}</legend>
            <label className="checkbox">
              <input type="radio" name="mode" checked={mode === 'invite'} onChange={() => setMode('invite')} />
              <span>{t('users.mode_invite')}</span>
            </label>
            <label className="checkbox">
              <input type="radio" name="mode" checked={mode === 'password'} onChange={() => setMode('password')} />
              <span>{t('users.mode_password')}</span>
            </label>
          </fieldset>
          {mode === 'password' && (
            <Field label={t('users.password')} error={e.password} hint={t('auth.password_hint')} required>
              <input className="input" type="password" autoComplete="new-password" {...bind('password')} />
            </Field>
          )}
          <div className="form__actions">
            <button type="submit" className="btn btn--primary" disabled={form.submitting}>
              {form.submitting ? t('common.saving') : t('users.submit')}
            </button>
          </div>
        </form>
        <div>
          {created?.user && !created.invite && (
            <div className="banner banner--success" role="status">
              {t('users.created', { name: created.user.name })}
            </div>
          )}
          {created?.membership_invitation && (
            <div className="banner banner--success" role="status" data-testid="membership-invitation-sent">
              <span className="banner__text">
                {t('users.invitation_sent', { name: created.membership_invitation.name })}
                <span className="banner__detail">{t('users.invitation_sent_detail')}</span>
              </span>
            </div>
          )}
          {created?.user && created.invite && <InviteCard name={created.user.name} invite={created.invite} />}
        </div>
      </div>
      {can('users.read') && <UsersTable estateId={estateId} version={listVersion} />}
    </>
  );
}
