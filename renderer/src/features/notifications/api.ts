import { api } from '../../api/client.ts';
import type { NotificationList, PortalNotification } from '../../../../server/notifications/schemas.ts';

export type { NotificationList, PortalNotification } from '../../../../server/notifications/schemas.ts';

const base = (estateId: string) => `/estates/${estateId}/portal/notifications`;

export const notificationApi = {
  list: (estateId: string, query: { limit: number; unread?: 'true' }, signal?: AbortSignal) =>
    api.get<NotificationList>(base(estateId), query, signal),
  markRead: (estateId: string, id: string) => api.post<{ marked: number }>(`${base(estateId)}/${id}/read`, {}),
  markAllRead: (estateId: string) => api.post<{ marked: number }>(`${base(estateId)}/read-all`, {}),
};

/** A notice's line in the resident's language: gate arrivals are worded around the guest's name. */
export function noticeKey(
  notice: PortalNotification,
): 'notifications.kind_walk_in' | 'notifications.kind_guest_arrived' | 'notifications.kind_announcement' {
  return `notifications.kind_${notice.kind}`;
}
