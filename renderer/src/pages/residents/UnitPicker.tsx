import { useEffect, useId, useState } from 'react';
import { listUnits } from '../../api/units.ts';
import type { Unit } from '../../api/types.ts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';

interface UnitPickerProps {
  estateId: string;
  /** The code shown in the box; the id is resolved from what the server suggests. */
  code: string;
  onChange: (code: string, unitId: string | null) => void;
  placeholder: string;
  id?: string;
  required?: boolean;
  [aria: `aria-${string}`]: unknown;
}

/**
 * A text box with server-side suggestions: a select with 10,000 options is unusable, and the treasurer knows the
 * code (`A-12`) anyway.
 */
export function UnitPicker({ estateId, code, onChange, placeholder, id, ...rest }: UnitPickerProps) {
  const listId = useId();
  const [suggestions, setSuggestions] = useState<Unit[]>([]);
  const settled = useDebouncedValue(code.trim());

  useEffect(() => {
    if (settled === '') return;
    const controller = new AbortController();
    listUnits(estateId, { q: settled, limit: 20 }, controller.signal)
      .then((page) => {
        setSuggestions(page.items);
        const exact = page.items.find((unit) => unit.code.toLowerCase() === settled.toLowerCase());
        if (exact) onChange(exact.code, exact.id);
      })
      .catch(() => undefined);
    return () => controller.abort();
    // onChange is a fresh closure each render; re-running on it would loop.
  }, [estateId, settled]);

  return (
    <>
      <input
        id={id}
        className="input"
        list={listId}
        placeholder={placeholder}
        autoComplete="off"
        value={code}
        onChange={(e) => {
          const exact = suggestions.find((unit) => unit.code === e.target.value);
          onChange(e.target.value, exact?.id ?? null);
        }}
        {...rest}
      />
      <datalist id={listId}>
        {suggestions.map((unit) => (
          <option key={unit.id} value={unit.code} />
        ))}
      </datalist>
    </>
  );
}
