import { useEffect, useState } from 'react';
import { listUnits } from '../../api/units.ts';
import { OCCUPANCIES, UNIT_TYPES, type Occupancy, type UnitType } from '../../api/types.ts';
import { Badge } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { FilterSelect } from '../../components/FilterSelect.tsx';
import { Icon } from '../../components/Icon.tsx';
import { SearchBox } from '../../components/SearchBox.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pagination } from '../../components/Pagination.tsx';
import { formatNumber } from '../../format/rupiah.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { navigate, useSearchParams } from '../../router/navigation.ts';
import { useEstateId, useSession } from '../../session/SessionProvider.tsx';
import { OCCUPANCY_TONE, occupancyKey, unitTypeKey } from './unitLabels.ts';

const PAGE_SIZE = 50;

/** Paged on the server: the page stays as fast at 10,000 units as at 10. Filters live in the URL. */
export default function UnitsListPage() {
  const { t } = useI18n();
  const estateId = useEstateId();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const block = params.get('block') ?? '';
  const type = params.get('type') ?? '';
  const occupancy = params.get('occupancy') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;

  const [searchText, setSearchText] = useState(q);
  const [blockText, setBlockText] = useState(block);
  const settledSearch = useDebouncedValue(searchText);
  const settledBlock = useDebouncedValue(blockText);
  useEffect(() => {
    if (settledSearch !== q || settledBlock !== block)
      setParams({ q: settledSearch.trim(), block: settledBlock.trim(), offset: undefined });
    // Only a settled change of the inputs moves the URL; the URL changing by itself (back button) must not loop.
  }, [settledSearch, settledBlock]);

  const query = { q, block, type, occupancy, limit: PAGE_SIZE, offset };
  const { data, error, loading, reload } = useApiData((signal) => listUnits(estateId, query, signal), JSON.stringify([estateId, query]));

  return (
    <>
      <PageHeader
        title={t('units.list_title')}
        subtitle={t('units.list_subtitle')}
        actions={
          can('units.write') && (
            <Link className="btn btn--primary" href="/units/new">
              <Icon name="plus" size={18} />
              {t('units.new_unit')}
            </Link>
          )
        }
      />
      <div className="toolbar">
        <SearchBox label={t('common.search')} placeholder={t('units.search_placeholder')} value={searchText} onChange={setSearchText} />
        <input
          className="input toolbar__block"
          aria-label={t('units.filter_block')}
          placeholder={t('units.filter_block_placeholder')}
          value={blockText}
          onChange={(e) => setBlockText(e.target.value)}
        />
        <FilterSelect
          label={t('units.filter_type')}
          allLabel={t('common.all')}
          value={type}
          values={UNIT_TYPES}
          optionLabel={(value) => t(unitTypeKey(value))}
          onChange={(value) => setParams({ type: value, offset: undefined })}
        />
        <FilterSelect
          label={t('units.filter_occupancy')}
          allLabel={t('common.all')}
          value={occupancy}
          values={OCCUPANCIES}
          optionLabel={(value) => t(occupancyKey(value))}
          onChange={(value) => setParams({ occupancy: value, offset: undefined })}
        />
        <span className="toolbar__count" data-testid="units-total">
          {data ? t('common.total_count', { total: formatNumber(data.total) }) : ''}
        </span>
      </div>

      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}

      <div className={`table-wrap${loading ? ' table-wrap--loading' : ''}`}>
        <table className="table table--clickable">
          <thead>
            <tr>
              <th>{t('units.col_code')}</th>
              <th>{t('units.col_block')}</th>
              <th>{t('units.col_type')}</th>
              <th>{t('units.col_occupancy')}</th>
              <th>{t('units.col_residents')}</th>
              <th className="num">{t('units.col_land_area')}</th>
              {can('invoices.read') && <th />}
            </tr>
          </thead>
          <tbody>
            {data?.items.map((unit) => (
              <tr key={unit.id} onClick={() => navigate(`/units/${unit.id}`)}>
                <td>
                  <Link href={`/units/${unit.id}`} className="table__key" onClick={(e) => e.stopPropagation()}>
                    {unit.code}
                  </Link>
                </td>
                <td>{unit.block ?? t('common.none')}</td>
                <td>{t(unitTypeKey(unit.type as UnitType))}</td>
                <td>
                  <Badge tone={OCCUPANCY_TONE[unit.occupancy as Occupancy] ?? 'grey'}>{t(occupancyKey(unit.occupancy))}</Badge>
                </td>
                <td className="table__muted">{unit.residents.map((r) => r.name).join(', ') || t('common.none')}</td>
                <td className="num">
                  {unit.land_area_m2 != null ? t('units.area_m2', { value: formatNumber(unit.land_area_m2) }) : t('common.none')}
                </td>
                {can('invoices.read') && (
                  <td>
                    <Link
                      href={`/units/${unit.id}/account`}
                      className="btn btn--ghost btn--small"
                      data-testid="unit-account-link"
                      onClick={(e) => e.stopPropagation()}
                    >
                      {t('ledger.account_card')}
                    </Link>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.items.length === 0 && (
          <p className="table__empty">{q || block || type || occupancy ? t('common.no_results') : t('units.empty')}</p>
        )}
      </div>
      {data && data.total > 0 && (
        <Pagination total={data.total} limit={PAGE_SIZE} offset={offset} onOffset={(next) => setParams({ offset: next })} />
      )}
    </>
  );
}
