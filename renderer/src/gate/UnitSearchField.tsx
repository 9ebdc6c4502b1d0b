import { useEffect, useId, useRef, useState } from 'react';
import { useDebouncedValue } from '../hooks/useDebouncedValue.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { SUGGESTION_CHOSEN } from './useScannerKeyboard.ts';

export interface UnitHit {
  id: string;
  code: string;
  block: string | null;
  resident_name: string | null;
}

interface UnitSearchFieldProps {
  search: (text: string) => Promise<UnitHit[]>;
  value: UnitHit | null;
  onChange: (unit: UnitHit | null) => void;
  label: string;
}

/**
 * The walk-in's destination as a search box: a select of every unit is unusable with gloves and 10,000 units, and the
 * guard knows a code, a number or a name. Rows are big touch targets; arrows and Enter work from a USB keyboard.
 */
export function UnitSearchField({ search, value, onChange, label }: UnitSearchFieldProps) {
  const { t } = useI18n();
  const inputId = useId();
  const listId = useId();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<UnitHit[] | null>(null);
  const [active, setActive] = useState(0);
  // A shorter pause than the office's: the guard wants rows under the finger while the guest waits.
  const settled = useDebouncedValue(text.trim(), 120);
  const latestSearch = useRef(search);
  latestSearch.current = search;

  useEffect(() => {
    if (settled === '') {
      setHits(null);
      return;
    }
    let current = true;
    latestSearch.current(settled).then(
      (found) => {
        if (!current) return;
        setHits(found);
        setActive(0);
      },
      () => current && setHits([]),
    );
    return () => {
      current = false;
    };
  }, [settled]);

  const choose = (unit: UnitHit) => {
    onChange(unit);
    setText('');
    setHits(null);
  };

  // The kiosk's scanner listener swallows Enter before the box sees it, and hands it over as this event.
  const input = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const chooseActive = useRef(() => {});
  chooseActive.current = () => {
    if (hits?.length) choose(hits[active]);
  };
  useEffect(() => {
    const field = input.current;
    if (!field) return;
    const onChosen = () => chooseActive.current();
    field.addEventListener(SUGGESTION_CHOSEN, onChosen);
    return () => field.removeEventListener(SUGGESTION_CHOSEN, onChosen);
  }, [value]);

  if (value) {
    return (
      <div className="unit-search unit-search--chosen">
        <span className="unit-search__label">{label}</span>
        <div className="unit-search__chosen" data-testid="walk-in-unit-chosen">
          <strong>{value.code}</strong>
          {value.resident_name && <span>{value.resident_name}</span>}
          <button type="button" className="unit-search__change" onClick={() => onChange(null)}>
            {t('gate.walk_in_unit_change')}
          </button>
        </div>
      </div>
    );
  }

  const open = hits !== null;
  return (
    <div className="unit-search" ref={box}>
      <label className="unit-search__label" htmlFor={inputId}>
        {label}
      </label>
      <input
        ref={input}
        id={inputId}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && hits.length ? `${listId}-${active}` : undefined}
        placeholder={t('gate.walk_in_unit_search')}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
        // The walk-in panel is short on a kiosk: bring the box to its top so the rows under it are on screen.
        onFocus={() => box.current?.scrollIntoView({ block: 'start' })}
        onKeyDown={(e) => {
          if (!open || !hits.length) return;
          if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, hits.length - 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
          else if (e.key === 'Enter') choose(hits[active]);
          else if (e.key === 'Escape') setHits(null);
          else return;
          e.preventDefault();
        }}
      />
      {open && (
        <ul id={listId} role="listbox" aria-label={label} className="unit-search__list" data-testid="walk-in-unit-results">
          {hits.length === 0 && <li className="unit-search__empty">{t('gate.walk_in_unit_none')}</li>}
          {hits.map((unit, i) => (
            <li
              key={unit.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className="unit-search__option"
              // Keeps focus in the box on a mouse or touch press, so the choice lands before blur.
              onPointerDown={(e) => e.preventDefault()}
              onClick={() => choose(unit)}
            >
              <strong>{unit.code}</strong>
              {unit.resident_name && <span>{unit.resident_name}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
