import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { LedgerNoticesPanel } from '../../ledger/LedgerNoticesPanel.tsx';
import { useEstateId, useSession } from '../../session/SessionProvider.tsx';
import { GatewaySettingsCard } from './GatewaySettingsCard.tsx';
import { OnlineChargesCard } from './OnlineChargesCard.tsx';
import './online-payments.css';

/** Pengaturan › Pembayaran online: the gateway, what residents paid through it, and what needs the treasurer's eye. */
export default function OnlinePaymentsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const estateId = useEstateId();
  return (
    <>
      <PageHeader title={t('online.title')} subtitle={t('online.subtitle')} />
      <LedgerNoticesPanel />
      <GatewaySettingsCard estateId={estateId} />
      {can('payments.read') && <OnlineChargesCard estateId={estateId} />}
    </>
  );
}
