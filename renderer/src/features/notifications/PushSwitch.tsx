import { useEffect, useState } from 'react';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { currentSubscription, pushApi, pushSupported, turnPushOff, turnPushOn } from './portal-app.ts';

type State = 'loading' | 'unsupported' | 'off' | 'on' | 'denied' | 'busy';

/** The resident's switch for push notifications on this device. */
export function PushSwitch({ estateId }: { estateId: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<State>('loading');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    if (!pushSupported()) {
      setState('unsupported');
      return;
    }
    void currentSubscription()
      .then(async (subscription) => {
        // A subscription the browser kept is told to the server again: it may have been removed there (a 410).
        if (subscription) await pushApi.subscribe(estateId, subscription.toJSON()).catch(() => undefined);
        if (live) setState(subscription ? 'on' : Notification.permission === 'denied' ? 'denied' : 'off');
      })
      .catch(() => live && setState('off'));
    return () => {
      live = false;
    };
  }, [estateId]);

  const toggle = async (on: boolean) => {
    setError(null);
    setState('busy');
    try {
      if (on) setState(await turnPushOn(estateId));
      else {
        await turnPushOff(estateId);
        setState('off');
      }
    } catch (cause) {
      setError(cause);
      setState(on ? 'off' : 'on');
    }
  };

  const hint =
    state === 'unsupported'
      ? t('notifications.push_unsupported')
      : state === 'denied'
        ? t('notifications.push_denied')
        : state === 'on'
          ? t('notifications.push_on_hint')
          : t('notifications.push_off_hint');
  return (
    <section className="card push-switch" data-testid="push-switch">
      <label className="checkbox">
        <input
          type="checkbox"
          role="switch"
          checked={state === 'on'}
          disabled={state === 'loading' || state === 'busy' || state === 'unsupported'}
          aria-busy={state === 'busy'}
          onChange={(e) => void toggle(e.target.checked)}
          data-testid="push-toggle"
        />{' '}
        <strong>{t('notifications.push_title')}</strong>
      </label>
      <p className="muted" data-testid="push-hint">
        {hint}
      </p>
      {error ? <ErrorBanner error={error} /> : null}
    </section>
  );
}
