import { useState } from 'react';
import { Badge, type BadgeTone } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { useEstateId, useSession } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { AnnouncementForm } from './AnnouncementForm.tsx';
import { announcementApi } from './api.ts';
import './announcements.css';

const TONE: Record<string, BadgeTone> = { draft: 'grey', scheduled: 'amber', published: 'green' };

/** The office: every announcement with how far it got, and the form to write the next one. */
export default function OfficeAnnouncementsPage() {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const estateId = useEstateId();
  const { can } = useSession();
  const [writing, setWriting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useApiData((signal) => announcementApi.list(estateId, signal), `announcements:${estateId}`);
  return (
    <>
      <PageHeader
        title={t('announcements.title')}
        actions={
          can('announcements.write') && !writing ? (
            <button type="button" className="btn btn--primary" onClick={() => setWriting(true)} data-testid="announcement-new">
              {t('announcements.new')}
            </button>
          ) : null
        }
      />
      <p className="muted">{t('announcements.intro')}</p>
      {notice && (
        <p className="banner banner--success" role="status">
          {notice}
        </p>
      )}
      {writing && (
        <AnnouncementForm
          onDone={(a) => {
            setWriting(false);
            setNotice(t(a.status === 'scheduled' ? 'announcements.saved_scheduled' : 'announcements.saved_published'));
            list.reload();
          }}
        />
      )}
      {list.error ? <ErrorBanner error={list.error} onRetry={list.reload} /> : null}
      <div className="table-wrap">
        <table className="table" data-testid="announcements-table">
          <thead>
            <tr>
              <th>{t('announcements.col_title')}</th>
              <th>{t('announcements.col_status')}</th>
              <th>{t('announcements.col_when')}</th>
              <th className="num">{t('announcements.col_reached')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((a) => (
              <tr key={a.id} data-testid="announcement-row">
                <td>
                  <Link href={`/announcements/${a.id}`}>{a.title}</Link>{' '}
                  {a.pinned && <Badge tone="blue">{t('announcements.pinned')}</Badge>}
                </td>
                <td>
                  <Badge tone={TONE[a.status] ?? 'grey'}>{t(`announcements.status_${a.status}`)}</Badge>
                </td>
                <td>{calendar.formatDateTime(a.published_at ?? a.publish_at ?? a.created_at, locale)}</td>
                <td className="num">
                  {a.read}/{a.recipients}
                </td>
              </tr>
            ))}
            {list.data && list.data.items.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  {t('announcements.empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
