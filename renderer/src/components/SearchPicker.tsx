import { useEffect, useId, useRef, useState } from 'react';
import { useDebouncedValue } from '../hooks/useDebouncedValue.ts';

export interface PickerOption {
  id: string;
  label: string;
}

interface SearchPickerProps {
  /** Server-side search: a select with 10,000 options is unusable, and the treasurer knows what to type. */
  search: (text: string, signal: AbortSignal) => Promise<PickerOption[]>;
  /** The text shown in the box; the id is chosen from what the server suggests. */
  text: string;
  onChange: (text: string, id: string | null) => void;
  placeholder: string;
  id?: string;
  required?: boolean;
  [aria: `aria-${string}`]: unknown;
}

/** A text box with suggestions; typing a suggestion's label exactly (or picking it) selects its id. */
export function SearchPicker({ search, text, onChange, placeholder, id, ...rest }: SearchPickerProps) {
  const listId = useId();
  const [options, setOptions] = useState<PickerOption[]>([]);
  const settled = useDebouncedValue(text.trim());
  const latest = useRef({ search, onChange });
  latest.current = { search, onChange };

  useEffect(() => {
    if (settled === '') return;
    const controller = new AbortController();
    latest.current
      .search(settled, controller.signal)
      .then((found) => {
        setOptions(found);
        const exact = found.find((option) => option.label.toLowerCase() === settled.toLowerCase());
        if (exact) latest.current.onChange(exact.label, exact.id);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [settled]);

  return (
    <>
      <input
        id={id}
        className="input"
        list={listId}
        placeholder={placeholder}
        autoComplete="off"
        value={text}
        onChange={(e) => {
          const exact = options.find((option) => option.label === e.target.value);
          onChange(e.target.value, exact?.id ?? null);
        }}
        {...rest}
      />
      <datalist id={listId}>
        {options.map((option) => (
          <option key={option.id} value={option.label} />
        ))}
      </datalist>
    </>
  );
}
