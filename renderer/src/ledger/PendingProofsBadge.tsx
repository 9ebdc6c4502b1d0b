import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useLiveChanges } from '../hooks/useLiveChanges.ts';
import { useEstateId } from '../session/SessionProvider.tsx';
import { api, estatePath } from './api.ts';

/**
 * How many transfer proofs wait for review, beside "Bukti transfer" in the office navigation. Refreshed when the
 * queue decides one and every minute, so residents' new proofs show up without reloading the window.
 */
export function PendingProofsBadge() {
  const estateId = useEstateId();
  const { t } = useI18n();
  const [count, setCount] = useState(0);
  // A resident's new proof counts at once, whichever server process took it.
  useLiveChanges(estateId, ['proofs'], () => window.dispatchEvent(new Event('klustera:transfer-proofs-changed')));
  useEffect(() => {
    const controller = new AbortController();
    const load = () => {
      api
        .get<{ pending_count: number }>(estatePath(estateId, '/transfer-proofs'), { status: 'pending', limit: 1 }, controller.signal)
        .then((r) => setCount(r.pending_count))
        .catch(() => undefined);
    };
    load();
    const timer = window.setInterval(load, 60_000);
    window.addEventListener('klustera:transfer-proofs-changed', load);
    return () => {
      controller.abort();
      window.clearInterval(timer);
      window.removeEventListener('klustera:transfer-proofs-changed', load);
    };
  }, [estateId]);
  if (count <= 0) return null;
  return (
    <span
      className="badge badge--amber"
      style={{ marginLeft: 'auto' }}
      data-testid="nav-proofs-count"
      aria-label={`${count} ${t('ledger.status_pending')}`}
    >
      {count}
    </span>
  );
}
