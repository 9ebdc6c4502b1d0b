import { useCallback, useEffect, useState } from 'react';
import { isApiError } from '../api/errors.ts';
import { useErrorText } from '../components/ErrorMessage.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Keypad } from './Keypad.tsx';
import { KioskScanScreen } from './KioskScanScreen.tsx';
import { kioskRequest, loadDevice, saveDevice, type KioskDevice, type Shift, type ShiftHandover } from './kiosk-api.ts';
import { HandoverScreen, HandoverSummary } from './ShiftHandover.tsx';
import './kiosk-gate.css';

/** How often a kiosk asks whether it is still paired and on shift. */
const REVOKE_CHECK_MS = 10_000;

/** Pairing a fresh tablet: the office's pairing link carries the estate; the code comes from the office screen. */
function PairingScreen({ onPaired, revoked }: { onPaired: (device: KioskDevice) => void; revoked: boolean }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const params = new URLSearchParams(window.location.search);
  const estateId = params.get('estate');
  const [code, setCode] = useState(params.get('code') ?? '');
  const [error, setError] = useState<unknown>(null);
  const pair = async (e?: React.FormEvent) => {
    e?.preventDefault();
    setError(null);
    try {
      await kioskRequest(null, 'POST', `/estates/${estateId}/devices/pair`, { pairing_code: code });
      const device = { estateId: estateId! };
      saveDevice(device);
      window.history.replaceState(null, '', '/kiosk');
      onPaired(device);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="kiosk-gate__setup">
      <h1>{t('gate.pair_title')}</h1>
      {revoked && (
        <p className="kiosk-gate__error" role="alert" data-testid="kiosk-unpaired">
          {t('gate.unpaired')}
        </p>
      )}
      {!estateId ? (
        <p className="kiosk-gate__setup-note">{t('gate.pair_no_estate')}</p>
      ) : (
        <form onSubmit={pair} className="kiosk-gate__pair-form">
          <p className="kiosk-gate__setup-note">{t('gate.pair_body')}</p>
          <label className="kiosk-gate__label" htmlFor="pairing-code">
            {t('gate.pair_code')}
          </label>
          <input
            id="pairing-code"
            className="kiosk-gate__big-input"
            value={code}
            autoComplete="off"
            autoCapitalize="characters"
            onChange={(e) => setCode(e.target.value)}
          />
          {error !== null && (
            <p className="kiosk-gate__error" role="alert">
              {errorText(error)}
            </p>
          )}
          <button type="submit" className="kiosk-gate__primary" disabled={!code}>
            {t('gate.pair_submit')}
          </button>
        </form>
      )}
    </section>
  );
}

function ShiftScreen({ device, onStarted }: { device: KioskDevice; onStarted: (shift: Shift) => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [gates, setGates] = useState<{ id: string; name: string }[]>([]);
  const [guards, setGuards] = useState<{ id: string; name: string }[]>([]);
  const [gateId, setGateId] = useState('');
  const [guardId, setGuardId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [handover, setHandover] = useState<ShiftHandover | null>(null);

  useEffect(() => {
    const base = `/estates/${device.estateId}`;
    kioskRequest<{ handover: ShiftHandover | null }>(device, 'GET', `${base}/gate/shifts/last-handover`).then(
      (r) => setHandover(r.handover),
      () => undefined,
    );
    kioskRequest<{ items: { id: string; name: string }[] }>(device, 'GET', `${base}/gates`).then((r) => {
      setGates(r.items);
      if (r.items.length === 1) setGateId(r.items[0].id);
    }, setError);
    kioskRequest<{ items: { id: string; name: string }[] }>(device, 'GET', `${base}/gate/guards`).then((r) => setGuards(r.items), setError);
  }, [device]);

  const start = async () => {
    setError(null);
    try {
      onStarted(
        await kioskRequest<Shift>(device, 'POST', `/estates/${device.estateId}/gate/shifts`, { gate_id: gateId, guard_id: guardId, pin }),
      );
    } catch (err) {
      setPin('');
      setError(err);
    }
  };

  return (
    <section className="kiosk-gate__setup kiosk-gate__setup--wide">
      <h1>{t('gate.shift_title')}</h1>
      <div className="kiosk-gate__shift">
        <div>
          <h2 className="kiosk-gate__label">{t('gate.shift_gate')}</h2>
          <div className="kiosk-gate__choices">
            {gates.map((g) => (
              <button
                key={g.id}
                type="button"
                className={`kiosk-gate__choice${g.id === gateId ? ' is-selected' : ''}`}
                onClick={() => setGateId(g.id)}
              >
                {g.name}
              </button>
            ))}
          </div>
          <h2 className="kiosk-gate__label">{t('gate.shift_guard')}</h2>
          <div className="kiosk-gate__choices">
            {guards.map((g) => (
              <button
                key={g.id}
                type="button"
                className={`kiosk-gate__choice${g.id === guardId ? ' is-selected' : ''}`}
                onClick={() => setGuardId(g.id)}
              >
                {g.name}
              </button>
            ))}
          </div>
          {error !== null && (
            <p className="kiosk-gate__error" role="alert">
              {errorText(error)}
            </p>
          )}
          {handover && (
            <details className="handover-previous">
              <summary>{t('gate.handover_previous', { count: handover.inside.length })}</summary>
              <HandoverSummary handover={handover} testId="handover-previous" />
            </details>
          )}
        </div>
        <div>
          <h2 className="kiosk-gate__label">{t('gate.shift_pin')}</h2>
          <Keypad
            value={pin}
            onChange={setPin}
            onSubmit={() => void start()}
            maxLength={8}
            masked
            submitLabel={t('gate.shift_start')}
            testId="pin-pad"
          />
        </div>
      </div>
    </section>
  );
}

/**
 * The guard post at /kiosk: pair once, start a shift with a PIN, then scan. Runs on the device token, so it needs no
 * one's office session and keeps working for every guard who takes over the post.
 */
export default function KioskGatePage() {
  const { t } = useI18n();
  const [device, setDevice] = useState<KioskDevice | null>(() => loadDevice());
  const [shift, setShift] = useState<Shift | null | undefined>(undefined);
  const [handover, setHandover] = useState<ShiftHandover | null>(null);
  const [revoked, setRevoked] = useState(false);
  const [estateName, setEstateName] = useState('');

  useEffect(() => {
    document.title = `${t('kiosk.home_title')} · Klustera`;
  }, [t]);

  const unpair = useCallback(() => {
    // The estate is no secret and saves the guard from needing the office's link again: only a new code is needed.
    const estateId = loadDevice()?.estateId;
    if (estateId) window.history.replaceState(null, '', `/kiosk?estate=${encodeURIComponent(estateId)}`);
    saveDevice(null);
    setRevoked(true);
    setDevice(null);
    setShift(undefined);
  }, []);

  useEffect(() => {
    if (!device) return;
    const ask = () =>
      kioskRequest<{ shift: Shift | null }>(device, 'GET', `/estates/${device.estateId}/gate/shifts/current`).then(
        // Only the first answer decides the screen; later ones are here for the revoke check, and one that raced a
        // shift the guard just started must not undo it.
        (r) => setShift((current) => (current === undefined ? r.shift : current)),
        (err) => {
          if (isApiError(err) && (err.status === 401 || err.status === 404)) unpair();
          else setShift((current) => current ?? null);
        },
      );
    void ask();
    // Unpairing is the office's decision (it revokes the device): asking regularly shows pairing again within
    // seconds, whichever screen is up.
    const timer = window.setInterval(ask, REVOKE_CHECK_MS);
    return () => window.clearInterval(timer);
  }, [device, unpair]);
  useEffect(() => {
    if (!device) return;
    // The trailing slash keeps the request inside the device cookie's path (/api/v1/estates/<estate>/).
    kioskRequest<{ name: string }>(device, 'GET', `/estates/${device.estateId}/`).then(
      (e) => setEstateName(e.name),
      () => undefined,
    );
  }, [device, unpair]);

  const endShift = async () => {
    if (device) {
      const ended = await kioskRequest<{ handover: ShiftHandover | null }>(
        device,
        'POST',
        `/estates/${device.estateId}/gate/shifts/current/end`,
      ).catch(() => null);
      setHandover(ended?.handover ?? null);
    }
    setShift(null);
  };

  return (
    <div className="kiosk-gate">
      {!device ? (
        <PairingScreen
          revoked={revoked}
          onPaired={(paired) => {
            setRevoked(false);
            setDevice(paired);
          }}
        />
      ) : shift === undefined ? null : handover ? (
        <HandoverScreen handover={handover} onNext={() => setHandover(null)} />
      ) : shift === null ? (
        <ShiftScreen device={device} onStarted={setShift} />
      ) : (
        <KioskScanScreen device={device} shift={shift} estateName={estateName} onEndShift={() => void endShift()} />
      )}
    </div>
  );
}
