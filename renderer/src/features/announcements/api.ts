import { api } from '../../api/client.ts';
import type {
  Announcement,
  AnnouncementAttachment,
  AnnouncementInput,
  DeliveryReport,
  OfficeAnnouncementList,
  PortalAnnouncement,
  PortalAnnouncementList,
} from '../../../../server/announcements/schemas.ts';

export type {
  Announcement,
  AnnouncementInput,
  DeliveryReport,
  OfficeAnnouncementList,
  PortalAnnouncement,
  PortalAnnouncementList,
} from '../../../../server/announcements/schemas.ts';

const office = (estateId: string, path = '') => `/estates/${estateId}/announcements${path}`;
const portal = (estateId: string, path = '') => `/estates/${estateId}/portal/announcements${path}`;

export const announcementApi = {
  list: (estateId: string, signal?: AbortSignal) => api.get<OfficeAnnouncementList>(office(estateId), { limit: 100 }, signal),
  create: (estateId: string, input: AnnouncementInput) => api.post<Announcement>(office(estateId), input),
  attach: (estateId: string, id: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<AnnouncementAttachment>(office(estateId, `/${id}/attachments`), form);
  },
  publish: (estateId: string, id: string, publishAt: string | null) =>
    api.post<Announcement>(office(estateId, `/${id}/publish`), { publish_at: publishAt }),
  pin: (estateId: string, id: string, pinned: boolean) => api.post<Announcement>(office(estateId, `/${id}/pin`), { pinned }),
  get: (estateId: string, id: string, signal?: AbortSignal) => api.get<Announcement>(office(estateId, `/${id}`), undefined, signal),
  delivery: (estateId: string, id: string, signal?: AbortSignal) =>
    api.get<DeliveryReport>(office(estateId, `/${id}/delivery`), undefined, signal),
  portalList: (estateId: string, signal?: AbortSignal) => api.get<PortalAnnouncementList>(portal(estateId), { limit: 100 }, signal),
  portalGet: (estateId: string, id: string, signal?: AbortSignal) =>
    api.get<PortalAnnouncement>(portal(estateId, `/${id}`), undefined, signal),
  portalRead: (estateId: string, id: string) => api.post<{ id: string; read: true }>(portal(estateId, `/${id}/read`), {}),
  portalFileUrl: (estateId: string, id: string, fileId: string) => `/api/v1${portal(estateId, `/${id}/attachments/${fileId}`)}`,
  officeFileUrl: (estateId: string, id: string, fileId: string) => `/api/v1${office(estateId, `/${id}/attachments/${fileId}`)}`,
};
