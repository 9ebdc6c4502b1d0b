import { useI18n } from '../i18n/I18nProvider.tsx';
import { Link } from '../router/Link.tsx';

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('common.loading')}
    </div>
  );
}

export function NotFound({ home }: { home: string }) {
  const { t } = useI18n();
  return (
    <div className="empty-state">
      <h1>{t('common.not_found_title')}</h1>
      <p>{t('common.not_found_body')}</p>
      <Link className="btn btn--primary" href={home}>
        {t('common.go_home')}
      </Link>
    </div>
  );
}

export function MessageScreen({ title, body, action }: { title: string; body: string; action?: React.ReactNode }) {
  return (
    <main className="center-screen">
      <div className="card card--narrow">
        <h1 className="card__title">{title}</h1>
        <p>{body}</p>
        {action}
      </div>
    </main>
  );
}
