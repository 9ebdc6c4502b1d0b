import { useEffect, useState } from 'react';
import { displayPhone } from '../../../../shared/phone-display.ts';
import { listResidents } from '../../api/residents.ts';
import { RELATIONS } from '../../api/types.ts';
import { Badge } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { FilterSelect } from '../../components/FilterSelect.tsx';
import { Icon } from '../../components/Icon.tsx';
import { SearchBox } from '../../components/SearchBox.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pagination } from '../../components/Pagination.tsx';
import { formatDay } from '../../format/date.ts';
import { formatNumber } from '../../format/rupiah.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { navigate, useSearchParams } from '../../router/navigation.ts';
import { useEstateId, useSession } from '../../session/SessionProvider.tsx';
import { relationKey } from './residentLabels.ts';

const PAGE_SIZE = 50;

export default function ResidentsListPage() {
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const relation = params.get('relation') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;

  const [searchText, setSearchText] = useState(q);
  const settledSearch = useDebouncedValue(searchText);
  useEffect(() => {
    if (settledSearch.trim() !== q) setParams({ q: settledSearch.trim(), offset: undefined });
  }, [settledSearch]);

  const query = { q, relation, limit: PAGE_SIZE, offset };
  const { data, error, loading, reload } = useApiData(
    (signal) => listResidents(estateId, query, signal),
    JSON.stringify([estateId, query]),
  );

  return (
    <>
      <PageHeader
        title={t('residents.list_title')}
        subtitle={t('residents.list_subtitle')}
        actions={
          can('residents.write') && (
            <Link className="btn btn--primary" href="/residents/new">
              <Icon name="plus" size={18} />
              {t('residents.new_resident')}
            </Link>
          )
        }
      />
      <div className="toolbar">
        <SearchBox label={t('common.search')} placeholder={t('residents.search_placeholder')} value={searchText} onChange={setSearchText} />
        <FilterSelect
          label={t('residents.filter_relation')}
          allLabel={t('common.all')}
          value={relation}
          values={RELATIONS}
          optionLabel={(value) => t(relationKey(value))}
          onChange={(value) => setParams({ relation: value, offset: undefined })}
        />
        <span className="toolbar__count" data-testid="residents-total">
          {data ? t('common.total_count', { total: formatNumber(data.total) }) : ''}
        </span>
      </div>
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      <div className={`table-wrap${loading ? ' table-wrap--loading' : ''}`}>
        <table className="table table--clickable">
          <thead>
            <tr>
              <th>{t('residents.col_name')}</th>
              <th>{t('residents.col_unit')}</th>
              <th>{t('residents.col_relation')}</th>
              <th>{t('residents.col_phone')}</th>
              <th>{t('residents.col_moved_in')}</th>
              <th>{t('residents.col_directory')}</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((r) => (
              <tr key={r.id} onClick={() => can('residents.write') && navigate(`/residents/${r.id}/edit`)}>
                <td className="table__key">{r.name}</td>
                <td>
                  {r.unit_id ? (
                    <Link href={`/units/${r.unit_id}`} onClick={(e) => e.stopPropagation()}>
                      {r.unit_code}
                    </Link>
                  ) : (
                    t('common.none')
                  )}
                </td>
                <td>{r.relation ? <Badge tone="blue">{t(relationKey(r.relation))}</Badge> : t('common.none')}</td>
                <td className="table__mono">{r.phone ? displayPhone(r.phone) : t('common.none')}</td>
                <td>{r.moved_in_on ? formatDay(r.moved_in_on, locale) : t('common.none')}</td>
                <td>{r.directory_opt_in ? t('common.yes') : t('common.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.items.length === 0 && <p className="table__empty">{q || relation ? t('common.no_results') : t('residents.empty')}</p>}
      </div>
      {data && data.total > 0 && (
        <Pagination total={data.total} limit={PAGE_SIZE} offset={offset} onOffset={(next) => setParams({ offset: next })} />
      )}
    </>
  );
}
