import { useI18n } from '../i18n/I18nProvider.tsx';
import { formatNumber } from '../format/rupiah.ts';
import { Icon } from './Icon.tsx';

interface PaginationProps {
  total: number;
  limit: number;
  offset: number;
  onOffset: (offset: number) => void;
}

export function Pagination({ total, limit, offset, onOffset }: PaginationProps) {
  const { t } = useI18n();
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pagination" aria-label="pagination">
      <span className="pagination__range" data-testid="page-range">
        {t('common.page_range', { from: formatNumber(from), to: formatNumber(to), total: formatNumber(total) })}
      </span>
      <button
        type="button"
        className="btn btn--ghost btn--icon"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - limit))}
        aria-label={t('common.previous')}
        title={t('common.previous')}
      >
        <Icon name="left" />
      </button>
      <button
        type="button"
        className="btn btn--ghost btn--icon"
        disabled={offset + limit >= total}
        onClick={() => onOffset(offset + limit)}
        aria-label={t('common.next')}
        title={t('common.next')}
      >
        <Icon name="right" />
      </button>
    </nav>
  );
}
