import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { useDebouncedValue } from '../hooks/useDebouncedValue.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';

export interface PickedUnit {
  id: string;
  code: string;
  /** Who lives there now (owner first), so the treasurer can tell the payer's house from its neighbour. */
  residents?: { name: string }[];
}

/** Type a unit code, pick from the matches: an estate of thousands of units does not fit a select box. */
export function UnitPicker({
  estateId,
  value,
  onPick,
  id,
}: {
  estateId: string;
  value: PickedUnit | null;
  onPick: (unit: PickedUnit) => void;
  id?: string;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(value?.code ?? '');
  const [open, setOpen] = useState(false);
  const [matches, setMatches] = useState<PickedUnit[]>([]);
  const q = useDebouncedValue(text);
  useEffect(() => setText(value?.code ?? ''), [value?.id]);
  useEffect(() => {
    if (!open || !q.trim()) return;
    const controller = new AbortController();
    // The unit search: any spelling of the code, the house number alone, or a resident's name; exact codes first.
    api
      .get<{ items: PickedUnit[] }>(`/estates/${estateId}/units/search`, { q: q.trim(), limit: 8 }, controller.signal)
      .then((r) => setMatches(r.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, [q, open, estateId]);
  return (
    <div className="ledger-picker">
      <input
        id={id}
        className="input"
        name="unit"
        autoComplete="off"
        placeholder={t('ledger.unit_search')}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
      />
      {open && matches.length > 0 && (
        <ul className="ledger-picker__list" role="listbox">
          {matches.map((u) => (
            <li key={u.id} role="option" aria-selected={value?.id === u.id}>
              <button
                type="button"
                onClick={() => {
                  onPick(u);
                  setText(u.code);
                  setOpen(false);
                }}
              >
                {u.code}
                {u.residents?.[0] && <span className="ledger-picker__resident"> · {u.residents[0].name}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
