import { useI18n } from '../i18n/I18nProvider.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import type { ShiftHandover } from './kiosk-api.ts';

/**
 * What one guard hands to the next: the shift's entries, walk-ins and denials, and who is still inside (the first
 * thing the next guard has to watch for at the gate).
 */
export function HandoverSummary({ handover, testId }: { handover: ShiftHandover; testId: string }) {
  const { t, locale } = useI18n();
  const { zone } = useEstateCalendar();
  const time = (iso: string) =>
    new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(new Date(iso));
  const counts: [string, number][] = [
    [t('gate.handover_entries'), handover.entries],
    [t('gate.handover_walk_ins'), handover.walk_ins],
    [t('gate.handover_denials'), handover.denials],
    [t('gate.handover_exits'), handover.exits],
  ];
  return (
    <section className="handover" data-testid={testId}>
      <p className="handover__who">
        {t('gate.handover_shift', {
          guard: handover.shift.guard.name,
          gate: handover.shift.gate.name,
          from: time(handover.shift.started_at),
          until: time(handover.shift.ended_at),
        })}
      </p>
      <dl className="handover__counts">
        {counts.map(([label, n]) => (
          <div key={label} className="handover__count">
            <dt>{label}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      <h2 className="kiosk-gate__label">{t('gate.handover_inside', { count: handover.inside.length })}</h2>
      {handover.inside.length === 0 ? (
        <p className="kiosk-gate__empty">{t('gate.inside_empty')}</p>
      ) : (
        <ul className="kiosk-gate__list handover__inside" data-testid={`${testId}-inside`}>
          {handover.inside.map((v) => (
            <li key={v.id} className={`kiosk-gate__row handover__row${v.overstay ? ' is-overstay' : ''}`}>
              <strong>{v.name}</strong>
              <span>{t('gate.unit', { unit: v.unit_code })}</span>
              <span>
                {t('gate.since', { time: time(v.entered_at) })}
                {v.overstay ? ` · ${t('gate.overstay')}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Shown when a guard ends the shift: the handover, until the next guard takes over the post. */
export function HandoverScreen({ handover, onNext }: { handover: ShiftHandover; onNext: () => void }) {
  const { t } = useI18n();
  return (
    <section className="kiosk-gate__setup kiosk-gate__setup--wide handover-screen">
      <h1>{t('gate.handover_title')}</h1>
      <div className="handover-screen__body">
        <HandoverSummary handover={handover} testId="handover" />
      </div>
      <button type="button" className="kiosk-gate__primary" onClick={onNext}>
        {t('gate.handover_next')}
      </button>
    </section>
  );
}
