import { getUnit, getUnitHistory } from '../../api/units.ts';
import { listResidents } from '../../api/residents.ts';
import { Badge } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Icon } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Loading } from '../../components/StatusScreens.tsx';
import { formatDay } from '../../format/date.ts';
import { formatNumber } from '../../format/rupiah.ts';
import type { PageProps } from '../../faces/types.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { useEstateId, useSession } from '../../session/SessionProvider.tsx';
import { relationKey } from '../residents/residentLabels.ts';
import { OCCUPANCY_TONE, occupancyKey, unitTypeKey } from './unitLabels.ts';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';

export default function UnitDetailPage({ params }: PageProps) {
  const calendar = useEstateCalendar();
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const { can } = useSession();
  const id = params.id!;
  const unit = useApiData(() => getUnit(estateId, id), `${estateId}/${id}`);
  const residents = useApiData((signal) => listResidents(estateId, { unit_id: id, limit: 100 }, signal), `${estateId}/${id}`);
  const history = useApiData(() => getUnitHistory(estateId, id), `${estateId}/${id}`);

  if (unit.error) return <ErrorBanner error={unit.error} onRetry={unit.reload} />;
  if (!unit.data) return <Loading />;
  const u = unit.data;
  const area = (value: number | null) => (value == null ? t('common.none') : t('units.area_m2', { value: formatNumber(value) }));

  return (
    <>
      <PageHeader
        title={u.code}
        subtitle={`${t(unitTypeKey(u.type))}${u.block ? ` · ${t('units.block')} ${u.block}` : ''}`}
        actions={
          <>
            <Link className="btn btn--ghost" href="/units">
              {t('common.back')}
            </Link>
            {can('invoices.read') && (
              <Link className="btn btn--ghost" href={`/units/${u.id}/account`}>
                {t('ledger.account_card')}
              </Link>
            )}
            {can('units.write') && (
              <Link className="btn btn--primary" href={`/units/${u.id}/edit`}>
                {t('common.edit')}
              </Link>
            )}
          </>
        }
      />
      <div className="grid grid--2">
        <section className="card">
          <h2 className="card__title">{t('units.detail_info')}</h2>
          <dl className="facts">
            <dt>{t('units.code')}</dt>
            <dd>{u.code}</dd>
            <dt>{t('units.block')}</dt>
            <dd>{u.block ?? t('common.none')}</dd>
            <dt>{t('units.type')}</dt>
            <dd>{t(unitTypeKey(u.type))}</dd>
            <dt>{t('units.occupancy')}</dt>
            <dd>
              <Badge tone={OCCUPANCY_TONE[u.occupancy] ?? 'grey'}>{t(occupancyKey(u.occupancy))}</Badge>
            </dd>
            <dt>{t('units.land_area_m2')}</dt>
            <dd>{area(u.land_area_m2)}</dd>
            <dt>{t('units.building_area_m2')}</dt>
            <dd>{area(u.building_area_m2)}</dd>
            <dt>{t('units.notes')}</dt>
            <dd>{u.notes ?? t('common.none')}</dd>
            <dt>{t('units.updated_at')}</dt>
            <dd>{calendar.formatDateTime(u.updated_at, locale)}</dd>
          </dl>
        </section>
        <section className="card">
          <div className="card__head">
            <h2 className="card__title">{t('units.detail_residents')}</h2>
            {can('residents.write') && (
              <Link className="btn btn--ghost btn--small" href={`/residents/new?unit_id=${u.id}`}>
                <Icon name="plus" size={16} />
                {t('units.add_resident')}
              </Link>
            )}
          </div>
          {residents.error ? <ErrorBanner error={residents.error} onRetry={residents.reload} /> : null}
          {residents.data && residents.data.items.length === 0 && <p className="muted">{t('units.no_residents')}</p>}
          <ul className="people">
            {residents.data?.items.map((r) => (
              <li key={r.id} className="people__item">
                <div>
                  <Link href={`/residents/${r.id}/edit`} className="people__name">
                    {r.name}
                  </Link>
                  <div className="muted">{[r.phone, r.moved_in_on && formatDay(r.moved_in_on, locale)].filter(Boolean).join(' · ')}</div>
                </div>
                {r.relation && <Badge tone="blue">{t(relationKey(r.relation))}</Badge>}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="card">
        <h2 className="card__title">{t('units.detail_history')}</h2>
        {history.error ? <ErrorBanner error={history.error} onRetry={history.reload} /> : null}
        {history.data && history.data.items.length === 0 && <p className="muted">{t('units.no_history')}</p>}
        {history.data && history.data.items.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th>{t('units.history_name')}</th>
                <th>{t('units.history_relation')}</th>
                <th>{t('units.history_moved_in')}</th>
                <th>{t('units.history_moved_out')}</th>
              </tr>
            </thead>
            <tbody>
              {history.data.items.map((entry) => (
                <tr key={entry.id}>
                  <td>{entry.name}</td>
                  <td>{entry.relation ? t(relationKey(entry.relation)) : t('common.none')}</td>
                  <td>{entry.moved_in_on ? formatDay(entry.moved_in_on, locale) : t('common.none')}</td>
                  <td>{entry.moved_out_on ? formatDay(entry.moved_out_on, locale) : t('units.history_current')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
