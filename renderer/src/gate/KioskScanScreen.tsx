import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError } from '../api/errors.ts';
import { useErrorText } from '../components/ErrorMessage.tsx';
import { useLiveChanges } from '../hooks/useLiveChanges.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { CameraScanner } from './CameraScanner.tsx';
import { Keypad } from './Keypad.tsx';
import { kioskRequest, type ExpectedItem, type KioskDevice, type Shift, type Verdict, type VisitItem } from './kiosk-api.ts';
import { useScannerKeyboard } from './useScannerKeyboard.ts';
import { WalkInForm } from './WalkInForm.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';

type Shown = { kind: 'verdict'; verdict: Verdict } | { kind: 'offline' } | { kind: 'error' | 'notice'; text: string } | null;
type Tab = 'expected' | 'inside';

/** How long a verdict stays up before the screen is ready for the next guest; a touch on it returns at once. */
export const VERDICT_RETURN_MS = 6000;

function VerdictPanel({
  shown,
  onDismiss,
  onCheckout,
}: {
  shown: Shown;
  onDismiss: () => void;
  onCheckout: (visitId: string, name: string) => void;
}) {
  const { t, tDynamic } = useI18n();
  if (!shown) {
    return (
      <div className="verdict verdict--idle" data-testid="verdict" data-verdict="idle">
        <div className="verdict__headline">{t('gate.ready')}</div>
        <p className="verdict__hint">{t('gate.ready_hint')}</p>
      </div>
    );
  }
  if (shown.kind !== 'verdict') {
    return (
      <div
        className={`verdict verdict--${shown.kind === 'notice' ? 'notice' : 'warning'}`}
        data-testid="verdict"
        data-verdict={shown.kind}
        role="alert"
        onClick={onDismiss}
      >
        <div className="verdict__headline">{shown.kind === 'offline' ? t('gate.verdict_offline') : shown.text}</div>
        {shown.kind === 'offline' && <p className="verdict__hint">{t('gate.verdict_offline_body')}</p>}
      </div>
    );
  }
  const { verdict } = shown;
  const accepted = verdict.verdict === 'accepted';
  const insideVisit = verdict.reason === 'already_inside' ? verdict.visit_id : null;
  const headline = accepted
    ? verdict.direction === 'out'
      ? t('gate.verdict_accepted_out')
      : t('gate.verdict_accepted')
    : insideVisit
      ? t('gate.verdict_already_inside')
      : t('gate.verdict_rejected');
  return (
    <div
      className={`verdict verdict--${accepted ? 'accepted' : insideVisit ? 'inside' : 'rejected'}`}
      data-testid="verdict"
      data-verdict={verdict.verdict}
      data-reason={verdict.reason ?? ''}
      role="status"
      aria-live="assertive"
      onClick={onDismiss}
    >
      <div className="verdict__headline">{headline}</div>
      {!accepted && verdict.reason && (
        <div className="verdict__reason" data-testid="verdict-reason">
          {tDynamic(`gate.reason_${verdict.reason}`, verdict.reason)}
        </div>
      )}
      {verdict.pass && (
        <div className="verdict__who">
          <div className="verdict__name" data-testid="verdict-name">
            {verdict.pass.name}
          </div>
          <div className="verdict__unit">{t('gate.unit', { unit: verdict.pass.unit_code })}</div>
          <div className="verdict__meta">
            {tDynamic(`gate.kind_${verdict.pass.kind}`, verdict.pass.kind)}
            {verdict.pass.purpose ? ` · ${verdict.pass.purpose}` : ''}
            {verdict.pass.plate ? ` · ${verdict.pass.plate}` : ''}
            {verdict.pass.people > 1 ? ` · ${t('gate.people', { count: verdict.pass.people })}` : ''}
          </div>
        </div>
      )}
      {insideVisit && (
        <button
          type="button"
          className="verdict__action"
          data-testid="verdict-checkout"
          onClick={(event) => {
            event.stopPropagation();
            onCheckout(insideVisit, verdict.pass?.name ?? '');
          }}
        >
          {t('gate.verdict_checkout_offer')}
        </button>
      )}
      <p className="verdict__close-hint">{t('gate.verdict_touch_to_close')}</p>
    </div>
  );
}

export function KioskScanScreen({
  device,
  shift,
  estateName,
  onEndShift,
}: {
  device: KioskDevice;
  shift: Shift;
  estateName: string;
  onEndShift: () => void;
}) {
  const { t, locale } = useI18n();
  const { zone } = useEstateCalendar();
  const errorText = useErrorText();
  const base = `/estates/${device.estateId}`;
  const [direction, setDirection] = useState<'in' | 'out'>('in');
  const [shown, setShown] = useState<Shown>(null);
  const [code, setCode] = useState('');
  const [camera, setCamera] = useState(false);
  const [tab, setTab] = useState<Tab>('expected');
  const [walkIn, setWalkIn] = useState(false);
  const [expected, setExpected] = useState<ExpectedItem[]>([]);
  const [inside, setInside] = useState<VisitItem[]>([]);
  const clearTimer = useRef(0);
  const cameraSeen = useRef(new Map<string, number>());

  const refreshLists = useCallback(() => {
    kioskRequest<{ items: ExpectedItem[] }>(device, 'GET', `${base}/gate/expected`).then(
      (r) => setExpected(r.items),
      () => undefined,
    );
    kioskRequest<{ items: VisitItem[] }>(device, 'GET', `${base}/gate/inside`).then(
      (r) => setInside(r.items),
      () => undefined,
    );
  }, [device, base]);

  useEffect(() => {
    refreshLists();
    const timer = window.setInterval(refreshLists, 15_000);
    return () => window.clearInterval(timer);
  }, [refreshLists]);
  // A guest registered in the portal or let in at another gate shows at once; the poll stays as the fallback.
  useLiveChanges(device.estateId, ['passes', 'visits'], refreshLists, { device: true });

  const show = useCallback((next: Shown) => {
    setShown(next);
    window.clearTimeout(clearTimer.current);
    clearTimer.current = window.setTimeout(() => setShown(null), VERDICT_RETURN_MS);
  }, []);

  const dismiss = useCallback(() => {
    window.clearTimeout(clearTimer.current);
    setShown(null);
  }, []);

  useEffect(() => () => window.clearTimeout(clearTimer.current), []);

  const submitScan = useCallback(
    async (body: { payload?: string; code?: string; method: string }) => {
      try {
        const verdict = await kioskRequest<Verdict>(device, 'POST', `${base}/gate/scan`, { ...body, direction });
        show({ kind: 'verdict', verdict });
        refreshLists();
      } catch (err) {
        show(isApiError(err) && err.status === 0 ? { kind: 'offline' } : { kind: 'error', text: errorText(err) });
      }
    },
    [device, base, direction, show, refreshLists, errorText],
  );

  useScannerKeyboard((scanned) => {
    const digitsOnly = /^[0-9]+$/.test(scanned);
    void submitScan(digitsOnly ? { code: scanned, method: 'scanner' } : { payload: scanned, method: 'scanner' });
  });

  const onCameraCode = useCallback(
    (value: string) => {
      // The camera sees the same code many times a second; like the USB scanner, once per 2 s.
      const now = Date.now();
      if ((cameraSeen.current.get(value) ?? 0) > now - 2000) return;
      cameraSeen.current.set(value, now);
      void submitScan({ payload: value, method: 'camera' });
    },
    [submitScan],
  );

  const checkout = async (visitId: string, announce?: string) => {
    try {
      await kioskRequest(device, 'POST', `${base}/gate/visits/${visitId}/checkout`, {});
      if (announce !== undefined) show({ kind: 'notice', text: t('gate.verdict_checked_out', { name: announce }) });
    } catch (err) {
      show({ kind: 'error', text: errorText(err) });
    }
    refreshLists();
  };

  const time = (iso: string) =>
    new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(new Date(iso));
  const tabs: [Tab, MessageKey, number][] = [
    ['expected', 'gate.tab_expected', expected.length],
    ['inside', 'gate.tab_inside', inside.length],
  ];

  return (
    <div className={`kiosk-gate__main${walkIn ? ' kiosk-gate__main--sheet' : ''}`}>
      <header className="kiosk-gate__bar">
        <span className="kiosk-gate__estate">{estateName}</span>
        <span className="kiosk-gate__duty" data-testid="on-duty">
          {t('gate.shift_on_duty', { guard: shift.guard.name, gate: shift.gate.name })}
        </span>
        <div className="kiosk-gate__direction" role="group">
          {(['in', 'out'] as const).map((d) => (
            <button
              key={d}
              type="button"
              className={`kiosk-gate__dir${direction === d ? ' is-selected' : ''}`}
              aria-pressed={direction === d}
              onClick={() => setDirection(d)}
            >
              {t(d === 'in' ? 'gate.direction_in' : 'gate.direction_out')}
            </button>
          ))}
        </div>
        <button type="button" className="kiosk-gate__end" onClick={onEndShift}>
          {t('gate.shift_end')}
        </button>
      </header>
      <div className="kiosk-gate__body">
        <div className="kiosk-gate__left">
          <VerdictPanel shown={shown} onDismiss={dismiss} onCheckout={(visitId, name) => void checkout(visitId, name)} />
          {camera && <CameraScanner onCode={onCameraCode} />}
          <nav className="kiosk-gate__tabs" role="tablist">
            {tabs.map(([id, label, count]) => (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={tab === id}
                className={`kiosk-gate__tab${tab === id ? ' is-selected' : ''}`}
                onClick={() => setTab(id)}
              >
                {t(label)}
                {` (${count})`}
              </button>
            ))}
            <button type="button" className="kiosk-gate__tab kiosk-gate__walk-in" onClick={() => setWalkIn(true)}>
              {t('gate.tab_walk_in')}
            </button>
          </nav>
          <section className="kiosk-gate__panel" data-testid={`panel-${tab}`}>
            {tab === 'expected' &&
              (expected.length === 0 ? (
                <p className="kiosk-gate__empty">{t('gate.expected_empty')}</p>
              ) : (
                <ul className="kiosk-gate__list">
                  {expected.map((p) => (
                    <li key={p.id} className="kiosk-gate__row">
                      <strong>{p.name}</strong>
                      <span>{t('gate.unit', { unit: p.unit_code })}</span>
                      <span>{p.purpose ?? ''}</span>
                      <span>
                        {time(p.valid_from)}–{time(p.valid_until)}
                      </span>
                    </li>
                  ))}
                </ul>
              ))}
            {tab === 'inside' &&
              (inside.length === 0 ? (
                <p className="kiosk-gate__empty">{t('gate.inside_empty')}</p>
              ) : (
                <ul className="kiosk-gate__list">
                  {inside.map((v) => (
                    <li key={v.id} className={`kiosk-gate__row${v.overstay ? ' is-overstay' : ''}`}>
                      <strong>{v.name}</strong>
                      <span>{t('gate.unit', { unit: v.unit_code })}</span>
                      <span>
                        {t('gate.since', { time: time(v.entered_at) })}
                        {v.overstay ? ` · ${t('gate.overstay')}` : ''}
                      </span>
                      <button type="button" className="kiosk-gate__row-action" onClick={() => void checkout(v.id)}>
                        {t('gate.checkout')}
                      </button>
                    </li>
                  ))}
                </ul>
              ))}
          </section>
        </div>
        {walkIn && (
          <WalkInForm
            device={device}
            onClose={() => setWalkIn(false)}
            onSaved={(text) => {
              setWalkIn(false);
              show({ kind: 'notice', text });
              refreshLists();
            }}
          />
        )}
        <div className="kiosk-gate__right">
          <Keypad
            value={code}
            onChange={setCode}
            maxLength={8}
            testId="code-pad"
            onSubmit={() => {
              void submitScan({ code, method: 'keypad' });
              setCode('');
            }}
          />
          <button type="button" className="kiosk-gate__camera-toggle" onClick={() => setCamera((c) => !c)}>
            {camera ? t('gate.camera_stop') : t('gate.camera_start')}
          </button>
        </div>
      </div>
    </div>
  );
}
