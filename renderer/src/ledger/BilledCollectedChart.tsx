import { useState } from 'react';
import { formatRupiah } from '../format/rupiah.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { Dashboard } from './api.ts';
import { formatPeriod, formatPeriodShort } from '../format/date.ts';

type Month = Dashboard['series'][number];

const SERIES = [
  { key: 'billed', className: 'ledger-chart__billed', label: 'ledger.billed' },
  { key: 'collected', className: 'ledger-chart__collected', label: 'ledger.collected' },
  { key: 'spending', className: 'ledger-chart__spending', label: 'dashboard.spending' },
] as const;

/**
 * Twelve months of billed, collected and spent as grouped bars, inline SVG: no chart library to ship. A tooltip
 * needs a mouse, so the values are read out below the chart for the month last tapped, pointed at or focused (the
 * current month until then): the same on a touch screen, with a mouse and from the keyboard.
 */
export function BilledCollectedChart({ series }: { series: Month[] }) {
  const { t, locale } = useI18n();
  // Tapped, clicked or focused: stays. Pointed at with a mouse: shown while the mouse is over the chart.
  const [pinned, setPinned] = useState(series.length - 1);
  const [hovered, setHovered] = useState<number | null>(null);
  const selected = hovered ?? pinned;
  const width = 640;
  const height = 220;
  const bottom = 24;
  const top = 10;
  const max = Math.max(1, ...series.map((m) => Math.max(m.billed, m.collected, m.spending)));
  const slot = width / series.length;
  const bar = (slot * 0.78) / SERIES.length;
  const h = (v: number) => ((height - bottom - top) * Math.max(0, v)) / max;
  const month = series[selected] ?? series[series.length - 1];
  return (
    <figure className="card" style={{ margin: 0 }}>
      <figcaption className="card__title">{t('dashboard.chart_title')}</figcaption>
      <svg
        className="ledger-chart"
        viewBox={`0 0 ${width} ${height}`}
        role="group"
        aria-label={t('dashboard.chart_title')}
        data-testid="billed-collected-chart"
        onPointerLeave={() => setHovered(null)}
      >
        {series.map((m, i) => {
          const x0 = i * slot + slot * 0.11;
          return (
            // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; it takes the role instead.
            <g
              key={m.period}
              data-period={m.period}
              className={`ledger-chart__month${i === selected ? ' ledger-chart__month--selected' : ''}`}
              role="button"
              tabIndex={0}
              aria-pressed={i === pinned}
              aria-label={SERIES.map((s) =>
                t('dashboard.bar_value', { month: formatPeriod(m.period, locale), series: t(s.label), amount: formatRupiah(m[s.key]) }),
              ).join('; ')}
              onClick={() => {
                setPinned(i);
                setHovered(null);
              }}
              onPointerEnter={(e) => e.pointerType === 'mouse' && setHovered(i)}
              onFocus={() => setPinned(i)}
            >
              {/* The whole column answers a tap, not only a bar that may be a few pixels tall. */}
              <rect className="ledger-chart__hit" x={i * slot} y={0} width={slot} height={height} />
              {SERIES.map((s, j) => (
                <rect
                  key={s.key}
                  className={s.className}
                  x={x0 + j * bar}
                  y={height - bottom - h(m[s.key])}
                  width={bar - 1}
                  height={h(m[s.key])}
                />
              ))}
              <text className="ledger-chart__label" x={i * slot + slot / 2} y={height - 8} textAnchor="middle">
                {formatPeriodShort(m.period, locale)}
              </text>
            </g>
          );
        })}
        <line x1="0" x2={width} y1={height - bottom} y2={height - bottom} stroke="#999" />
      </svg>
      {month && (
        <div className="ledger-chart__readout" data-testid="chart-readout" aria-live="polite">
          <strong>{formatPeriod(month.period, locale)}</strong>
          {SERIES.map((s) => (
            <span key={s.key} data-series={s.key}>
              <span className={`ledger-legend__swatch ${s.className}`} />
              {t(s.label)}: <b>{formatRupiah(month[s.key])}</b>
            </span>
          ))}
        </div>
      )}
      <small className="muted">{t('dashboard.chart_hint')}</small>
    </figure>
  );
}
