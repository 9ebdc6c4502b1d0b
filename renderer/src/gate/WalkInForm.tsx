import { useEffect, useState } from 'react';
import { useErrorText } from '../components/ErrorMessage.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { kioskRequest, type KioskDevice } from './kiosk-api.ts';

const EMPTY = { name: '', phone: '', unit_id: '', purpose: '', plate: '', people: '1', id_card_left: false };

/** A guest without a pass: the guard writes down who and where to; the host unit sees it in the portal. */
export function WalkInForm({ device, onSaved }: { device: KioskDevice; onSaved: (message: string) => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [form, setForm] = useState(EMPTY);
  const [units, setUnits] = useState<{ id: string; code: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const base = `/estates/${device.estateId}`;

  useEffect(() => {
    kioskRequest<{ items: { id: string; code: string }[] }>(device, 'GET', `${base}/gate/units`).then((r) => setUnits(r.items), setError);
  }, [device, base]);

  const set = (key: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setForm((f) => ({ ...f, [key]: e.target.type === 'checkbox' ? (e.target as HTMLInputElement).checked : e.target.value }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await kioskRequest<{ visit: { name: string; unit_code: string } }>(device, 'POST', `${base}/gate/walk-ins`, {
        name: form.name, phone: form.phone || null, unit_id: form.unit_id, purpose: form.purpose || null, plate: form.plate || null,
        people: Number(form.people) || 1, id_card_left: form.id_card_left,
      });
      setForm(EMPTY);
      onSaved(t('gate.walk_in_saved', { name: res.visit.name, unit: res.visit.unit_code }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="walk-in" onSubmit={submit} data-testid="walk-in-form">
      <label>{t('gate.walk_in_name')}<input name="name" value={form.name} onChange={set('name')} required autoComplete="off" /></label>
      <label>{t('gate.walk_in_unit')}
        <select name="unit_id" value={form.unit_id} onChange={set('unit_id')} required>
          <option value="">{t('gate.walk_in_unit_placeholder')}</option>
          {units.map((u) => <option key={u.id} value={u.id}>{u.code}</option>)}
        </select>
      </label>
      <label>{t('gate.walk_in_purpose')}<input name="purpose" value={form.purpose} onChange={set('purpose')} autoComplete="off" /></label>
      <label>{t('gate.walk_in_phone')}<input name="phone" type="tel" value={form.phone} onChange={set('phone')} autoComplete="off" /></label>
      <label>{t('gate.walk_in_plate')}<input name="plate" value={form.plate} onChange={set('plate')} autoComplete="off" /></label>
      <label>{t('gate.walk_in_people')}<input name="people" type="number" min={1} max={100} value={form.people} onChange={set('people')} /></label>
      <label className="walk-in__check"><input type="checkbox" checked={form.id_card_left} onChange={set('id_card_left')} />{t('gate.walk_in_id_card')}</label>
      {error !== null && <p className="kiosk-gate__error" role="alert">{errorText(error)}</p>}
      <button type="submit" className="kiosk-gate__primary" disabled={busy}>{t('gate.walk_in_submit')}</button>
    </form>
  );
}
