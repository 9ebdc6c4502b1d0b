import { useEffect } from 'react';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import type { PageProps } from '../../faces/types.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { useEstateId } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { AnnouncementBody } from './AnnouncementBody.tsx';
import { announcementApi } from './api.ts';
import './announcements.css';

/** One announcement; opening it is the resident's read receipt (and clears its notice in the bell). */
export default function PortalAnnouncementPage({ params }: PageProps) {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const estateId = useEstateId();
  const id = params.id as string;
  const item = useApiData((signal) => announcementApi.portalGet(estateId, id, signal), `portal-announcement:${estateId}:${id}`);
  const unread = item.data && !item.data.read;
  useEffect(() => {
    if (unread) void announcementApi.portalRead(estateId, id).catch(() => undefined);
  }, [unread, estateId, id]);
  return (
    <>
      <PageHeader
        title={item.data?.title ?? t('announcements.portal_title')}
        subtitle={
          item.data ? t('announcements.published_on', { when: calendar.formatDateTime(item.data.published_at, locale) }) : undefined
        }
      />
      <p>
        <Link href="/portal/announcements">{t('announcements.back')}</Link>
      </p>
      {item.error ? <ErrorBanner error={item.error} onRetry={item.reload} /> : null}
      {item.data && (
        <article>
          <AnnouncementBody html={item.data.body_html} />
          {item.data.attachments.length > 0 && (
            <section className="announcement-files" aria-label={t('announcements.attachments')}>
              {item.data.attachments.map((file) =>
                file.mime.startsWith('image/') ? (
                  <img key={file.id} src={announcementApi.portalFileUrl(estateId, id, file.id)} alt={file.filename} loading="lazy" />
                ) : (
                  <a key={file.id} href={announcementApi.portalFileUrl(estateId, id, file.id)} target="_blank" rel="noreferrer">
                    {file.filename}
                  </a>
                ),
              )}
            </section>
          )}
        </article>
      )}
    </>
  );
}
