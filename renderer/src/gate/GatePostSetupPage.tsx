import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Badge } from '../components/Badge.tsx';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import './access-log.css';
import type { DevicePairingCode, Device as ServerDevice } from '../../../server/devices-pairing/schemas.ts';
import type { Gate as ServerGate } from '../../../server/gate/schemas.ts';

type Gate = ServerGate;
type Device = ServerDevice;
type Pairing = DevicePairingCode;

/**
 * Office: the guard post's gates (with their slip printers), guards and their shift PINs, and kiosk pairing. The
 * pairing link carries the estate so the tablet only needs the code.
 */
export default function GatePostSetupPage() {
  const calendar = useEstateCalendar();
  const { t, locale } = useI18n();
  const { membership } = useSession();
  const base = `/estates/${membership?.estate_id}`;
  const gates = useApiData((signal) => api.get<{ items: Gate[] }>(`${base}/gates`, undefined, signal), `${base}:gates`);
  const guards = useApiData(
    (signal) => api.get<{ items: { id: string; name: string }[] }>(`${base}/gate/guards`, undefined, signal),
    `${base}:guards`,
  );
  const devices = useApiData((signal) => api.get<{ items: Device[] }>(`${base}/devices`, undefined, signal), `${base}:devices`);
  const [error, setError] = useState<unknown>(null);
  const [gate, setGate] = useState({ name: '', host: '', port: '9100', paper: '58' });
  const [guard, setGuard] = useState({ name: '', pin: '' });
  const [deviceName, setDeviceName] = useState('');
  const [pairing, setPairing] = useState<Pairing | null>(null);

  useEffect(() => {
    document.title = `${t('gate.setup_title')} · Klustera`;
  }, [t]);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    }
  };

  const addGate = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const printer = gate.host
        ? { connection: 'network', host: gate.host, port: Number(gate.port) || 9100, paper_width: Number(gate.paper) }
        : null;
      await api.post(`${base}/gates`, { name: gate.name, printer });
      setGate({ name: '', host: '', port: '9100', paper: '58' });
      gates.reload();
    });
  };
  const addGuard = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.post(`${base}/gate/guards`, guard);
      setGuard({ name: '', pin: '' });
      guards.reload();
    });
  };
  const addDevice = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setPairing(await api.post<Pairing>(`${base}/devices`, { name: deviceName, kind: 'kiosk' }));
      setDeviceName('');
      devices.reload();
    });
  };
  // A revoked or replaced tablet pairs again under the same name with a fresh code and QR.
  const reissue = (id: string) =>
    void run(async () => {
      setPairing(await api.post<Pairing>(`${base}/devices/${id}/pairing-code`));
      devices.reload();
    });
  const revoke = (id: string) =>
    void run(async () => {
      await api.post(`${base}/devices/${id}/revoke`);
      devices.reload();
    });
  // The server's public address: this window's own origin is 127.0.0.1 on the office desktop, which a tablet cannot open.
  const pairingLink = pairing ? (pairing.pairing_url ?? `${window.location.origin}/kiosk?estate=${membership?.estate_id}`) : '';

  return (
    <>
      <PageHeader title={t('gate.setup_title')} subtitle={t('gate.setup_subtitle')} />
      {error !== null && <ErrorBanner error={error} />}

      <section className="gate-setup__section">
        <h2>{t('gate.setup_gates')}</h2>
        <ul className="gate-setup__list">
          {gates.data?.items.map((g) => (
            <li key={g.id}>
              <strong>{g.name}</strong>{' '}
              <span className="muted">
                {g.printer
                  ? `${t('gate.setup_printer')}: ${g.printer.host}:${g.printer.port} (${g.printer.paper_width} mm)`
                  : t('gate.setup_no_printer')}
              </span>
            </li>
          ))}
        </ul>
        <form className="toolbar access-log__filters" onSubmit={addGate}>
          <label>
            {t('gate.setup_gate_name')}
            <input required value={gate.name} onChange={(e) => setGate({ ...gate, name: e.target.value })} />
          </label>
          <label>
            {t('gate.setup_printer_host')}
            <input value={gate.host} placeholder="192.168.1.50" onChange={(e) => setGate({ ...gate, host: e.target.value })} />
          </label>
          <label>
            {t('gate.setup_printer_port')}
            <input value={gate.port} inputMode="numeric" onChange={(e) => setGate({ ...gate, port: e.target.value })} />
          </label>
          <label>
            {t('gate.setup_paper')}
            <select value={gate.paper} onChange={(e) => setGate({ ...gate, paper: e.target.value })}>
              <option value="58">58 mm</option>
              <option value="80">80 mm</option>
            </select>
          </label>
          <button type="submit" className="btn btn--primary">
            {t('gate.setup_add')}
          </button>
        </form>
      </section>

      <section className="gate-setup__section">
        <h2>{t('gate.setup_guards')}</h2>
        <ul className="gate-setup__list">
          {guards.data?.items.map((g) => (
            <li key={g.id}>{g.name}</li>
          ))}
        </ul>
        <form className="toolbar access-log__filters" onSubmit={addGuard}>
          <label>
            {t('gate.setup_guard_name')}
            <input required value={guard.name} onChange={(e) => setGuard({ ...guard, name: e.target.value })} />
          </label>
          <label>
            {t('gate.setup_guard_pin')}
            <input
              required
              value={guard.pin}
              inputMode="numeric"
              pattern="[0-9]{4,8}"
              type="password"
              autoComplete="new-password"
              onChange={(e) => setGuard({ ...guard, pin: e.target.value })}
            />
          </label>
          <button type="submit" className="btn btn--primary">
            {t('gate.setup_add')}
          </button>
        </form>
      </section>

      <section className="gate-setup__section">
        <h2>{t('gate.setup_devices')}</h2>
        <ul className="gate-setup__list">
          {devices.data?.items.map((d) => (
            <li key={d.id}>
              <strong>{d.name}</strong>{' '}
              <Badge tone={d.status === 'paired' ? 'green' : d.status === 'waiting' ? 'amber' : 'grey'}>
                {t(`gate.device_${d.status}`)}
              </Badge>{' '}
              {d.paired_at && <span className="muted">{calendar.formatDateTime(d.paired_at, locale)}</span>}{' '}
              {d.status !== 'revoked' && (
                <button type="button" className="btn btn--small" onClick={() => revoke(d.id)}>
                  {t('gate.setup_revoke')}
                </button>
              )}{' '}
              {d.status !== 'paired' && (
                <button type="button" className="btn btn--small" onClick={() => reissue(d.id)}>
                  {t('gate.setup_new_code')}
                </button>
              )}
            </li>
          ))}
        </ul>
        <form className="toolbar access-log__filters" onSubmit={addDevice}>
          <label>
            {t('gate.setup_device_name')}
            <input required value={deviceName} onChange={(e) => setDeviceName(e.target.value)} />
          </label>
          <button type="submit" className="btn btn--primary">
            {t('gate.setup_pair')}
          </button>
        </form>
        {pairing && (
          <div className="banner banner--success gate-setup__pairing" role="status" data-testid="pairing-code">
            {pairing.pairing_qr && (
              <>
                <p>
                  <strong>{t('gate.setup_pairing_scan', { device: pairing.device.name })}</strong>
                </p>
                <img className="gate-setup__qr" src={pairing.pairing_qr} alt={t('gate.setup_pairing_qr_alt')} data-testid="pairing-qr" />
              </>
            )}
            <p>{t('gate.setup_pairing_hint', { link: pairingLink })}</p>
            <p className="gate-setup__code">{pairing.pairing_code}</p>
            <p className="muted">
              {t('gate.setup_pairing_expires', { time: calendar.formatDateTime(pairing.pairing_expires_at, locale) })}
            </p>
          </div>
        )}
      </section>
    </>
  );
}
