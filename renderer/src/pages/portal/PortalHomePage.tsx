import type { Invoice, Paged } from '../../ledger/api.ts';
import type { UnitBalance } from '../../../../server/ledger/payment-schemas.ts';
import { api, estatePath } from '../../ledger/api.ts';
import { Icon, type IconName } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDay } from '../../format/date.ts';
import { formatRupiah } from '../../format/rupiah.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { Link } from '../../router/Link.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import '../../ledger/portal/portal-bills.css';

const TILES: { icon: IconName; label: MessageKey; note: MessageKey; href: string }[] = [
  { icon: 'receipt', label: 'portal.tile_bills', note: 'portal.tile_bills_note', href: '/portal/bills' },
  { icon: 'residents', label: 'portal.tile_guests', note: 'portal.tile_guests_note', href: '/portal/guests' },
];

/**
 * What the unit owes and by when. Which bills are overdue is the server's answer (`overdue`, by the estate's today);
 * the next due date is the earliest due date among the bills still open and not yet overdue.
 */
function OwedSummary({ estateId }: { estateId: string }) {
  const { t, locale } = useI18n();
  const balance = useApiData((s) => api.get<UnitBalance>(estatePath(estateId, '/portal/balance'), undefined, s), `${estateId}:balance`);
  const invoices = useApiData(
    (s) => api.get<Paged<Invoice>>(estatePath(estateId, '/portal/invoices'), { limit: 100 }, s),
    `${estateId}:invoices`,
  );
  if (!balance.data || !invoices.data) return null;
  const open = invoices.data.items.filter((i) => i.outstanding > 0 && i.status !== 'void');
  const earliest = (list: Invoice[]) => list.map((i) => i.due_date).sort()[0];
  const overdueSince = earliest(open.filter((i) => i.overdue));
  const nextDue = earliest(open.filter((i) => !i.overdue));
  const owed = balance.data.outstanding;
  return (
    <section className={`card owed-card${owed > 0 ? ' owed-card--due' : ''}`} data-testid="home-owed">
      <div className="muted">{t('portal.owed_label')}</div>
      <div className="owed-card__amount" data-testid="home-owed-amount">
        {formatRupiah(owed)}
      </div>
      {owed === 0 && <div>{t('portal.owed_none')}</div>}
      {overdueSince && (
        <div className="owed-card__due--overdue" data-testid="home-overdue">
          {t('portal.overdue_since', { date: formatDay(overdueSince, locale) })}
        </div>
      )}
      {nextDue && <div data-testid="home-next-due">{t('portal.next_due', { date: formatDay(nextDue, locale) })}</div>}
      {balance.data.credit > 0 && <div className="muted">{t('portal.credit_note', { amount: formatRupiah(balance.data.credit) })}</div>}
      <div className="owed-card__actions">
        {owed > 0 && (
          <Link href="/portal/bills#bayar" className="btn btn--primary" data-testid="home-pay">
            {t('portal.pay_now')}
          </Link>
        )}
        <Link href="/portal/bills" className="btn btn--secondary">
          {t('portal.see_bills')}
        </Link>
      </div>
    </section>
  );
}

/** The resident's start page: what the unit owes and by when, then their bills and their guests. */
export default function PortalHomePage() {
  const { t } = useI18n();
  const { state, membership, can } = useSession();
  const name = state.status === 'authenticated' ? state.session.user.name : '';
  return (
    <>
      <PageHeader title={t('portal.home_greeting', { name })} subtitle={t('portal.home_title')} />
      {membership && can('portal.self') ? <OwedSummary estateId={membership.estate_id} /> : null}
      <p className="muted">{t('portal.home_body')}</p>
      <ul className="tiles">
        {TILES.map((tile) => (
          <li key={tile.label} className="tile">
            <Link href={tile.href} className="tile__link" data-testid={`tile-${tile.href.split('/').pop()}`}>
              <Icon name={tile.icon} size={26} />
              <span className="tile__label">{t(tile.label)}</span>
              <span className="tile__note">{t(tile.note)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
