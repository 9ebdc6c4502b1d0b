import { useState, type FormEvent } from 'react';
import { createUnit, getUnit, updateUnit } from '../../api/units.ts';
import { OCCUPANCIES, UNIT_TYPES, type Unit, type UnitInput } from '../../api/types.ts';
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
import { occupancyKey, unitTypeKey } from './unitLabels.ts';

const FIELDS = ['code', 'block', 'type', 'occupancy', 'land_area_m2', 'building_area_m2', 'notes'] as const;

type Values = Record<(typeof FIELDS)[number], string>;

function toValues(unit?: Unit): Values {
  return {
    code: unit?.code ?? '',
    block: unit?.block ?? '',
    type: unit?.type ?? 'rumah',
    occupancy: unit?.occupancy ?? 'occupied',
    land_area_m2: unit?.land_area_m2?.toString() ?? '',
    building_area_m2: unit?.building_area_m2?.toString() ?? '',
    notes: unit?.notes ?? '',
  };
}

/** A number when it reads as one; otherwise the text as typed, so the server's validation names the field. */
function area(value: string): number | string | null {
  const trimmed = value.trim().replace(',', '.');
  if (trimmed === '') return null;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : trimmed;
}

function toInput(values: Values, creating: boolean): UnitInput {
  const text = (value: string) => (value.trim() === '' ? null : value.trim());
  const input = {
    code: values.code.trim(),
    block: text(values.block),
    type: values.type,
    occupancy: values.occupancy,
    land_area_m2: area(values.land_area_m2),
    building_area_m2: area(values.building_area_m2),
    notes: text(values.notes),
  } as Record<string, unknown>;
  // A new unit leaves blanks out; an edit sends null so that clearing a field clears it.
  if (creating) for (const key of Object.keys(input)) if (input[key] === null) delete input[key];
  return input as unknown as UnitInput;
}

function UnitForm({ unit }: { unit?: Unit }) {
  const { t } = useI18n();
  const estateId = useEstateId();
  const form = useApiForm(FIELDS);
  const [values, setValues] = useState(() => toValues(unit));
  const creating = !unit;

  const bind = (name: keyof Values) => ({
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
      const input = toInput(values, creating);
      const saved = unit ? await updateUnit(estateId, unit.id, input) : await createUnit(estateId, input);
      navigate(`/units/${saved.id}`);
    });
  };

  const e = form.fieldErrors;
  const cancelHref = unit ? `/units/${unit.id}` : '/units';
  return (
    <>
      <PageHeader title={unit ? t('units.form_edit_title', { code: unit.code }) : t('units.form_new_title')} />
      <form className="card form form--page" onSubmit={onSubmit} noValidate>
        {form.formError && <ErrorBanner error={form.formError} />}
        <div className="form__row">
          <Field label={t('units.code')} hint={t('units.code_hint')} error={e.code} required>
            <input className="input" autoFocus {...bind('code')} />
          </Field>
          <Field label={t('units.block')} error={e.block}>
            <input className="input" {...bind('block')} />
          </Field>
        </div>
        <div className="form__row">
          <Field label={t('units.type')} error={e.type} required>
            <select className="input" {...bind('type')}>
              {UNIT_TYPES.map((value) => (
                <option key={value} value={value}>
                  {t(unitTypeKey(value))}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('units.occupancy')} error={e.occupancy} required>
            <select className="input" {...bind('occupancy')}>
              {OCCUPANCIES.map((value) => (
                <option key={value} value={value}>
                  {t(occupancyKey(value))}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="form__row">
          <Field label={t('units.land_area_m2')} error={e.land_area_m2}>
            <input className="input" inputMode="decimal" {...bind('land_area_m2')} />
          </Field>
          <Field label={t('units.building_area_m2')} error={e.building_area_m2}>
            <input className="input" inputMode="decimal" {...bind('building_area_m2')} />
          </Field>
        </div>
        <Field label={t('units.notes')} error={e.notes}>
          <textarea className="input" rows={3} {...bind('notes')} />
        </Field>
        <div className="form__actions">
          <Link className="btn btn--ghost" href={cancelHref}>
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

/** `/units/new` and `/units/:id/edit`. */
export default function UnitFormPage({ params }: PageProps) {
  const estateId = useEstateId();
  const id = params.id;
  const existing = useApiData((signal) => (id ? getUnit(estateId, id) : Promise.resolve(undefined)), `${estateId}/${id}`);
  if (!id) return <UnitForm />;
  if (existing.error) return <ErrorBanner error={existing.error} onRetry={existing.reload} />;
  if (!existing.data) return <Loading />;
  return <UnitForm unit={existing.data} />;
}
