import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey, Vars } from '../../i18n/messages.ts';
import type { Report } from './report.ts';
import { CreateEstateCard } from './CreateEstateCard.tsx';
import { EstatesTable } from './EstatesTable.tsx';
import { ImportEstateCard } from './ImportEstateCard.tsx';
import { PlatformAdminsCard } from './PlatformAdminsCard.tsx';
import { UserLookupCard } from './UserLookupCard.tsx';
import './platform.css';

/** The hosted instance's console, for the platform's administrators: every estate, who runs the platform, who is where. */
export default function PlatformPage() {
  const { t } = useI18n();
  // A change in one card (an estate created, an admin granted) refreshes the lists of the others.
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((n) => n + 1);
  const [notice, setNotice] = useState<{ key: MessageKey; vars?: Vars } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const report: Report = {
    notice: (key, vars) => {
      setError(null);
      setNotice({ key, vars });
    },
    error: (cause) => {
      setNotice(null);
      setError(cause);
    },
  };
  return (
    <>
      <PageHeader title={t('platform.title')} subtitle={t('platform.subtitle')} />
      {notice && (
        <p className="banner banner--success" role="status" data-testid="platform-notice">
          {t(notice.key, notice.vars)}
        </p>
      )}
      {error ? <ErrorBanner error={error} /> : null}
      <EstatesTable version={version} report={report} />
      <div className="grid grid--2 platform__cards">
        <div className="platform__stack">
          <CreateEstateCard onCreated={changed} />
          <ImportEstateCard onImported={changed} />
        </div>
        <div className="platform__stack">
          <UserLookupCard version={version} onChanged={changed} report={report} />
          <PlatformAdminsCard version={version} onChanged={changed} report={report} />
        </div>
      </div>
    </>
  );
}
