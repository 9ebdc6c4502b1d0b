import { useEffect, useRef, useState, type FormEvent } from 'react';
import { isApiError } from '../api/errors.ts';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { Field, allFieldsValid } from '../components/Field.tsx';
import { useApiForm } from '../hooks/useApiForm.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { kioskRequest, type KioskDevice, type WalkInAnswer } from './kiosk-api.ts';
import { UnitSearchField, type UnitHit } from './UnitSearchField.tsx';

const EMPTY = { name: '', phone: '', purpose: '', plate: '', people: '1', id_card_left: false };
const FIELDS = ['name', 'phone', 'unit_id', 'purpose', 'plate', 'people'] as const;

/**
 * A guest without a pass, on the whole kiosk screen: six fields and a unit search do not fit beside the verdict, and
 * the guest is waiting. The form scrolls between a fixed title bar and a footer that keeps "Check in" on screen, also
 * when the tablet's on-screen keyboard takes the lower half.
 */
export function WalkInForm({ device, onSaved, onClose }: { device: KioskDevice; onSaved: (message: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const api = useApiForm(FIELDS);
  const [form, setForm] = useState(EMPTY);
  const [unit, setUnit] = useState<UnitHit | null>(null);
  const [unitMissing, setUnitMissing] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const base = `/estates/${device.estateId}`;

  useEffect(() => nameInput.current?.focus(), []);

  // A tablet's on-screen keyboard covers the lower part of the page without resizing it; following the visible
  // height keeps the footer with "Check in" above the keyboard.
  const sheet = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const viewport = window.visualViewport;
    if (!viewport) return;
    const follow = () => sheet.current?.style.setProperty('--walk-in-height', `${viewport.height}px`);
    follow();
    viewport.addEventListener('resize', follow);
    return () => viewport.removeEventListener('resize', follow);
  }, []);

  const searchUnits = (q: string) =>
    kioskRequest<{ items: UnitHit[] }>(device, 'GET', `${base}/gate/units`, undefined, { q }).then((r) => r.items);

  const set = (key: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement>) => {
    api.clearField(key);
    setForm((f) => ({ ...f, [key]: e.target.type === 'checkbox' ? e.target.checked : e.target.value }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Both checks run before either answers, so the guard sees every missing field at once.
    const fieldsValid = allFieldsValid(e);
    setUnitMissing(!unit);
    if (!fieldsValid || !unit) return;
    void api.submit(async () => {
      const res = await kioskRequest<WalkInAnswer>(device, 'POST', `${base}/gate/walk-ins`, {
        name: form.name,
        phone: form.phone || null,
        unit_id: unit.id,
        purpose: form.purpose || null,
        plate: form.plate || null,
        people: Number(form.people) || 1,
        id_card_left: form.id_card_left,
      });
      const names = { name: res.visit.name, unit: res.visit.unit_code };
      onSaved(t(res.host_notified ? 'gate.walk_in_saved' : 'gate.walk_in_saved_not_notified', names));
    });
  };

  const unitError = api.fieldErrors.unit_id;
  const formError = api.formError && !(isApiError(api.formError) && api.formError.field === 'unit_id') ? api.formError : null;

  return (
    <div ref={sheet} className="walk-in-sheet" role="dialog" aria-modal="true" aria-labelledby="walk-in-title" data-testid="walk-in-sheet">
      <form className="walk-in-sheet__form" onSubmit={submit} noValidate data-testid="walk-in-form">
        <header className="walk-in-sheet__bar">
          <h1 id="walk-in-title">{t('gate.walk_in_title')}</h1>
          <button type="button" className="walk-in-sheet__close" onClick={onClose}>
            {t('gate.walk_in_cancel')}
          </button>
        </header>
        <div className="walk-in-sheet__body walk-in">
          <Field label={t('gate.walk_in_name')} required error={api.fieldErrors.name}>
            <input ref={nameInput} name="name" maxLength={200} value={form.name} onChange={set('name')} autoComplete="off" />
          </Field>
          <div className={`walk-in__unit${unitMissing && !unit ? ' field--invalid' : ''}`}>
            <UnitSearchField
              search={searchUnits}
              value={unit}
              onChange={(next) => {
                setUnit(next);
                if (next) setUnitMissing(false);
                api.clearField('unit_id');
              }}
              label={t('gate.walk_in_unit')}
            />
            {unitMissing && !unit && (
              <p className="field__error" role="alert" data-code="INVALID_INPUT">
                {t('gate.walk_in_unit_required')}
              </p>
            )}
            {unitError && !unitMissing && (
              <p className="field__error" role="alert" data-code={unitError.code}>
                {t('gate.walk_in_unit_required')}
              </p>
            )}
          </div>
          <Field label={t('gate.walk_in_purpose')} error={api.fieldErrors.purpose}>
            <input name="purpose" maxLength={200} value={form.purpose} onChange={set('purpose')} autoComplete="off" />
          </Field>
          <Field label={t('gate.walk_in_phone')} error={api.fieldErrors.phone}>
            <input
              name="phone"
              type="tel"
              inputMode="tel"
              pattern="[+]?[0-9][0-9 \-]{6,20}"
              value={form.phone}
              onChange={set('phone')}
              autoComplete="off"
            />
          </Field>
          <Field label={t('gate.walk_in_plate')} error={api.fieldErrors.plate}>
            <input
              name="plate"
              maxLength={16}
              pattern="[A-Za-z0-9 ]*"
              autoCapitalize="characters"
              value={form.plate}
              onChange={set('plate')}
              autoComplete="off"
            />
          </Field>
          <Field label={t('gate.walk_in_people')} required error={api.fieldErrors.people}>
            <input name="people" type="number" inputMode="numeric" min={1} max={100} value={form.people} onChange={set('people')} />
          </Field>
          <label className="walk-in__check">
            <input type="checkbox" checked={form.id_card_left} onChange={set('id_card_left')} />
            {t('gate.walk_in_id_card')}
          </label>
        </div>
        <footer className="walk-in-sheet__footer">
          {formError && <ErrorBanner error={formError} />}
          <button type="submit" className="kiosk-gate__primary walk-in-sheet__submit" disabled={api.submitting}>
            {t('gate.walk_in_submit')}
          </button>
        </footer>
      </form>
    </div>
  );
}
