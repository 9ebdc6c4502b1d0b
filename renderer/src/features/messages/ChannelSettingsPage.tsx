import { useEffect, useState } from 'react';
import type { ChannelSettings } from '../../../../server/messages/schemas.ts';
import { api } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useEstateId } from '../../session/SessionProvider.tsx';
import { EmailChannelCard } from './EmailChannelCard.tsx';
import { GatewayChannelCard } from './GatewayChannelCard.tsx';

/**
 * Where messages to residents go out besides the wa.me list the treasurer sends by hand: an SMTP account for email
 * (EmailChannelCard) and a WhatsApp gateway (GatewayChannelCard: Fonnte-style, a self-hosted WAHA, or Meta's Cloud
 * API with approved templates). Secrets are write-only; each channel has a test send.
 */
export default function ChannelSettingsPage() {
  const { t } = useI18n();
  const estateId = useEstateId();
  const { data, error, reload } = useApiData(
    (signal) => api.get<ChannelSettings>(`/estates/${estateId}/settings/message-channels`, undefined, signal),
    `channels:${estateId}`,
  );
  const [current, setCurrent] = useState<ChannelSettings | null>(null);
  useEffect(() => {
    if (data) setCurrent(data);
  }, [data]);
  return (
    <>
      <PageHeader title={t('messages.channels_title')} subtitle={t('messages.channels_subtitle')} />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {current && (
        <>
          <EmailChannelCard estateId={estateId} initial={current.email} onSaved={setCurrent} />
          <GatewayChannelCard estateId={estateId} initial={current.wa_gateway} onSaved={setCurrent} />
        </>
      )}
    </>
  );
}
