/** A list filter: "<label>: all" plus one option per value, each shown through `optionLabel`. */
export function FilterSelect<T extends string>({
  label,
  allLabel,
  value,
  values,
  optionLabel,
  onChange,
}: {
  label: string;
  allLabel: string;
  value: string;
  values: readonly T[];
  optionLabel: (value: T) => string;
  onChange: (value: string) => void;
}) {
  return (
    <select className="input toolbar__select" aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{`${label}: ${allLabel}`}</option>
      {values.map((v) => (
        <option key={v} value={v}>
          {optionLabel(v)}
        </option>
      ))}
    </select>
  );
}
