import { formatRupiah } from '../format/rupiah.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { CollectionMonth } from './api.ts';
import { formatPeriod, formatPeriodShort } from '../format/date.ts';

/** Twelve months of billed (light) against collected (dark) as paired bars, inline SVG: no chart library to ship. */
export function BilledCollectedChart({ series }: { series: CollectionMonth[] }) {
  const { t, locale } = useI18n();
  const width = 640;
  const height = 220;
  const bottom = 24;
  const top = 10;
  const max = Math.max(1, ...series.map((m) => Math.max(m.billed, m.collected)));
  const slot = width / series.length;
  const bar = slot * 0.34;
  const h = (v: number) => ((height - bottom - top) * v) / max;
  return (
    <figure className="card" style={{ margin: 0 }}>
      <figcaption className="card__title">{t('ledger.chart_title')}</figcaption>
      <svg
        className="ledger-chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={t('ledger.chart_title')}
        data-testid="billed-collected-chart"
      >
        {series.map((m, i) => {
          const x = i * slot + slot * 0.14;
          return (
            <g key={m.period} data-period={m.period}>
              <rect className="ledger-chart__billed" x={x} y={height - bottom - h(m.billed)} width={bar} height={h(m.billed)}>
                <title>{`${formatPeriod(m.period, locale)} ${t('ledger.billed')}: ${formatRupiah(m.billed)}`}</title>
              </rect>
              <rect
                className="ledger-chart__collected"
                x={x + bar + 2}
                y={height - bottom - h(m.collected)}
                width={bar}
                height={h(m.collected)}
              >
                <title>{`${formatPeriod(m.period, locale)} ${t('ledger.collected')}: ${formatRupiah(m.collected)}`}</title>
              </rect>
              <text className="ledger-chart__label" x={x + bar} y={height - 8} textAnchor="middle">
                {formatPeriodShort(m.period, locale)}
              </text>
            </g>
          );
        })}
        <line x1="0" x2={width} y1={height - bottom} y2={height - bottom} stroke="#999" />
      </svg>
      <div className="ledger-legend">
        <span>
          <span className="ledger-legend__swatch ledger-chart__billed" style={{ background: '#c9d6e3' }} />
          {t('ledger.billed')}
        </span>
        <span>
          <span className="ledger-legend__swatch" style={{ background: '#2f6f4f' }} />
          {t('ledger.collected')}
        </span>
      </div>
    </figure>
  );
}
