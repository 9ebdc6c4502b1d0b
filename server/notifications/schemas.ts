import { z } from 'zod';
import { id, paging } from '../http/schemas.ts';

export const NOTIFICATION_KINDS = ['walk_in', 'guest_arrived', 'announcement'] as const;

export const notificationListQuery = z.object({ ...paging, unread: z.enum(['true', 'false']).optional() });

export const notificationResponse = z.object({
  id: z.string(),
  unit_id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  read_at: z.string().nullable(),
  created_at: z.string(),
});

export const notificationListResponse = z.object({ items: z.array(notificationResponse), unread: z.number().int() });
export const unreadCountResponse = z.object({ unread: z.number().int() });
export const markedReadResponse = z.object({ marked: z.number().int() });
export const notificationParams = z.object({ estate_id: id, id });

export type PortalNotification = z.infer<typeof notificationResponse>;
export type NotificationList = z.infer<typeof notificationListResponse>;
