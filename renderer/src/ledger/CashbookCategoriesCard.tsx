import { Badge } from '../components/Badge.tsx';
import { usePromptDialog } from '../components/PromptDialog.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useEstateId } from '../session/SessionProvider.tsx';
import type { CashbookCategory } from '../../../server/cashbook/schemas.ts';
import { api, estatePath } from './api.ts';

/**
 * Cash-book settings for the estate's own categories: rename one, retire one nobody should choose any more (its old
 * entries keep it and its name), or bring a retired one back. Built-in categories are not listed: they cannot change.
 */
export function CashbookCategoriesCard(props: {
  categories: readonly CashbookCategory[];
  act: (fn: () => Promise<void>) => Promise<void>;
}) {
  const { t } = useI18n();
  const estateId = useEstateId();
  const { ask, dialog } = usePromptDialog();
  const own = props.categories.filter((c) => !c.built_in);
  const path = (c: CashbookCategory, tail = '') => estatePath(estateId, `/cashbook/categories/${encodeURIComponent(c.code)}${tail}`);

  const rename = async (c: CashbookCategory) => {
    const name = await ask(t('ledger.category_rename_prompt', { name: c.name }), { initial: c.name, tone: 'primary', maxLength: 80 });
    if (!name || name.trim() === c.name) return;
    await props.act(async () => {
      await api.patch(path(c), { name });
    });
  };

  return (
    <section className="card" data-testid="cashbook-categories">
      {dialog}
      <h2 className="card__title">{t('ledger.categories_title')}</h2>
      <p className="muted">{t('ledger.categories_hint')}</p>
      {own.length === 0 ? (
        <p className="muted">{t('ledger.categories_none')}</p>
      ) : (
        <table className="table table--compact">
          <tbody>
            {own.map((c) => (
              <tr key={c.code} data-code={c.code}>
                <td>
                  {c.name} {c.retired ? <Badge tone="grey">{t('ledger.category_retired')}</Badge> : null}
                  <div className="table__muted">{t(c.direction === 'in' ? 'ledger.direction_in' : 'ledger.direction_out')}</div>
                </td>
                <td className="num">
                  <button type="button" className="btn btn--ghost btn--small" onClick={() => void rename(c)}>
                    {t('ledger.category_rename')}
                  </button>{' '}
                  <button
                    type="button"
                    className="btn btn--ghost btn--small"
                    onClick={() =>
                      void props.act(async () => {
                        await api.post(path(c, c.retired ? '/restore' : '/retire'), {});
                      })
                    }
                  >
                    {t(c.retired ? 'ledger.category_restore' : 'ledger.category_retire')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
