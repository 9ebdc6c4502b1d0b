import { useState, type FormEvent } from 'react';
import { createResident, getResident, updateResident } from '../../api/residents.ts';
import { getUnit, listUnits } from '../../api/units.ts';
import { ApiError } from '../../api/errors.ts';
import { RELATIONS, type Relation, type Resident, type ResidentInput } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Loading } from '../../components/StatusScreens.tsx';
import type { PageProps } from '../../faces/types.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { navigate } from '../../router/navigation.ts';
import { useEstateId } from '../../session/SessionProvider.tsx';
import { relationKey } from './residentLabels.ts';
import { SearchPicker } from '../../components/SearchPicker.tsx';
import { DateField } from '../../components/DateField.tsx';

const FIELDS = ['name', 'phone', 'email', 'unit_id', 'relation', 'moved_in_on', 'moved_out_on', 'directory_opt_in'] as const;

interface Values {
  name: string;
  phone: string;
  email: string;
  unit_code: string;
  unit_id: string | null;
  relation: Relation | '';
  moved_in_on: string;
  moved_out_on: string;
  directory_opt_in: boolean;
}

function toValues(resident?: Resident, unit?: { id: string; code: string }): Values {
  return {
    name: resident?.name ?? '',
    phone: resident?.phone ?? '',
    email: resident?.email ?? '',
    unit_code: resident?.unit_code ?? unit?.code ?? '',
    unit_id: resident?.unit_id ?? unit?.id ?? null,
    relation: resident?.relation ?? (unit ? 'owner' : ''),
    moved_in_on: resident?.moved_in_on ?? '',
    moved_out_on: resident?.moved_out_on ?? '',
    directory_opt_in: resident?.directory_opt_in ?? false,
  };
}

function toInput(values: Values, creating: boolean): ResidentInput {
  const text = (value: string) => (value.trim() === '' ? null : value.trim());
  const input: Record<string, unknown> = {
    name: values.name.trim(),
    phone: text(values.phone),
    email: text(values.email),
    unit_id: values.unit_id,
    relation: values.relation === '' ? null : values.relation,
    moved_in_on: text(values.moved_in_on),
    moved_out_on: text(values.moved_out_on),
    directory_opt_in: values.directory_opt_in,
  };
  if (creating) for (const key of Object.keys(input)) if (input[key] === null) delete input[key];
  // A relation can be changed but not removed, so an edit without one leaves it as it is.
  if (input.relation === null) delete input.relation;
  return input as unknown as ResidentInput;
}

function ResidentForm({ resident, unit }: { resident?: Resident; unit?: { id: string; code: string } }) {
  const { t } = useI18n();
  const estateId = useEstateId();
  const form = useApiForm(FIELDS);
  const [values, setValues] = useState(() => toValues(resident, unit));
  const set = <K extends keyof Values>(name: K, value: Values[K]) => {
    setValues((current) => ({ ...current, [name]: value }));
    form.clearField(name === 'unit_code' ? 'unit_id' : name);
  };
  const bind = (name: 'name' | 'phone' | 'email' | 'moved_in_on' | 'moved_out_on') => ({
    name,
    value: values[name],
    onChange: (e: { target: { value: string } }) => set(name, e.target.value),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (values.unit_code.trim() !== '' && !values.unit_id) {
      form.setFieldError('unit_id', new ApiError(404, 'NOT_FOUND', 'unit not found', 'unit_id'));
      return;
    }
    void form.submit(async () => {
      const input = toInput({ ...values, unit_id: values.unit_code.trim() === '' ? null : values.unit_id }, !resident);
      if (resident) await updateResident(estateId, resident.id, input);
      else await createResident(estateId, input);
      navigate(values.unit_id ? `/units/${values.unit_id}` : '/residents');
    });
  };

  const e = form.fieldErrors;
  return (
    <>
      <PageHeader title={resident ? t('residents.form_edit_title', { name: resident.name }) : t('residents.form_new_title')} />
      <form className="card form form--page" onSubmit={onSubmit} noValidate>
        {form.formError && <ErrorBanner error={form.formError} />}
        <Field label={t('residents.name')} error={e.name} required>
          <input className="input" autoComplete="off" autoFocus {...bind('name')} />
        </Field>
        <div className="form__row">
          <Field label={t('residents.phone')} hint={t('residents.phone_hint')} error={e.phone}>
            <input className="input" type="tel" {...bind('phone')} />
          </Field>
          <Field label={t('residents.email')} error={e.email}>
            <input className="input" type="email" {...bind('email')} />
          </Field>
        </div>
        <div className="form__row">
          <Field label={t('residents.unit')} error={e.unit_id}>
            <SearchPicker
              search={async (text, signal) =>
                (await listUnits(estateId, { q: text, limit: 20 }, signal)).items.map((u) => ({ id: u.id, label: u.code }))
              }
              text={values.unit_code}
              placeholder={t('residents.unit_placeholder')}
              onChange={(code, unitId) => {
                set('unit_code', code);
                set('unit_id', unitId);
              }}
            />
          </Field>
          <Field label={t('residents.relation')} error={e.relation}>
            <select
              className="input"
              name="relation"
              value={values.relation}
              onChange={(ev) => set('relation', ev.target.value as Relation | '')}
            >
              <option value="">{t('common.none')}</option>
              {RELATIONS.map((value) => (
                <option key={value} value={value}>
                  {t(relationKey(value))}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="form__row">
          <Field label={t('residents.moved_in_on')} error={e.moved_in_on}>
            <DateField className="input" {...bind('moved_in_on')} />
          </Field>
          {resident && (
            <Field label={t('residents.moved_out_on')} error={e.moved_out_on}>
              <DateField className="input" {...bind('moved_out_on')} />
            </Field>
          )}
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            name="directory_opt_in"
            checked={values.directory_opt_in}
            onChange={(ev) => set('directory_opt_in', ev.target.checked)}
          />
          <span>
            {t('residents.directory_opt_in')}
            <small className="field__hint">{t('residents.directory_hint')}</small>
          </span>
        </label>
        <div className="form__actions">
          <Link className="btn btn--ghost" href={unit ? `/units/${unit.id}` : '/residents'}>
            {t('common.cancel')}
          </Link>
          <button type="submit" className="btn btn--primary" disabled={form.submitting}>
            {form.submitting ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </>
  );
}

/** `/residents/new` (optionally `?unit_id=` from a unit's page) and `/residents/:id/edit`. */
export default function ResidentFormPage({ params }: PageProps) {
  const estateId = useEstateId();
  const id = params.id;
  const presetUnitId = new URLSearchParams(location.search).get('unit_id');
  const loaded = useApiData(async () => {
    if (id) return { resident: await getResident(estateId, id), unit: undefined };
    if (presetUnitId) {
      const unit = await getUnit(estateId, presetUnitId);
      return { resident: undefined, unit: { id: unit.id, code: unit.code } };
    }
    return { resident: undefined, unit: undefined };
  }, `${estateId}/${id}/${presetUnitId}`);
  if (loaded.error) return <ErrorBanner error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  return <ResidentForm resident={loaded.data.resident} unit={loaded.data.unit} />;
}
