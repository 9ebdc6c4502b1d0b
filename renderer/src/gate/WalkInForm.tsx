import { useState } from 'react';
import { useErrorText } from '../components/ErrorMessage.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { kioskRequest, type KioskDevice } from './kiosk-api.ts';
import { UnitSearchField, type UnitHit } from './UnitSearchField.tsx';

const EMPTY = { name: '', phone: '', purpose: '', plate: '', people: '1', id_card_left: false };

/** A guest without a pass: the guard writes down who and where to; the host unit sees it in the portal. */
export function WalkInForm({ device, onSaved }: { device: KioskDevice; onSaved: (message: string) => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [form, setForm] = useState(EMPTY);
  const [unit, setUnit] = useState<UnitHit | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const base = `/estates/${device.estateId}`;

  const searchUnits = (q: string) =>
    kioskRequest<{ items: UnitHit[] }>(device, 'GET', `${base}/gate/units`, undefined, { q }).then((r) => r.items);

  const set = (key: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setForm((f) => ({ ...f, [key]: e.target.type === 'checkbox' ? (e.target as HTMLInputElement).checked : e.target.value }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!unit) {
      setError(t('gate.walk_in_unit_required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await kioskRequest<{ visit: { name: string; unit_code: string } }>(device, 'POST', `${base}/gate/walk-ins`, {
        name: form.name,
        phone: form.phone || null,
        unit_id: unit.id,
        purpose: form.purpose || null,
        plate: form.plate || null,
        people: Number(form.people) || 1,
        id_card_left: form.id_card_left,
      });
      setForm(EMPTY);
      setUnit(null);
      onSaved(t('gate.walk_in_saved', { name: res.visit.name, unit: res.visit.unit_code }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="walk-in" onSubmit={submit} data-testid="walk-in-form">
      <label>
        {t('gate.walk_in_name')}
        <input name="name" value={form.name} onChange={set('name')} required autoComplete="off" />
      </label>
      <UnitSearchField search={searchUnits} value={unit} onChange={setUnit} label={t('gate.walk_in_unit')} />
      <label>
        {t('gate.walk_in_purpose')}
        <input name="purpose" value={form.purpose} onChange={set('purpose')} autoComplete="off" />
      </label>
      <label>
        {t('gate.walk_in_phone')}
        <input name="phone" type="tel" value={form.phone} onChange={set('phone')} autoComplete="off" />
      </label>
      <label>
        {t('gate.walk_in_plate')}
        <input name="plate" value={form.plate} onChange={set('plate')} autoComplete="off" />
      </label>
      <label>
        {t('gate.walk_in_people')}
        <input name="people" type="number" min={1} max={100} value={form.people} onChange={set('people')} />
      </label>
      <label className="walk-in__check">
        <input type="checkbox" checked={form.id_card_left} onChange={set('id_card_left')} />
        {t('gate.walk_in_id_card')}
      </label>
      {error !== null && (
        <p className="kiosk-gate__error" role="alert">
          {typeof error === 'string' ? error : errorText(error)}
        </p>
      )}
      <button type="submit" className="kiosk-gate__primary" disabled={busy}>
        {t('gate.walk_in_submit')}
      </button>
    </form>
  );
}
