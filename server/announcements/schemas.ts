import { z } from 'zod';
import { booleanish, id, paging, text } from '../http/schemas.ts';
import { statusCounts } from '../messages/index.ts';

export const CHANNELS = ['portal', 'whatsapp', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];
export const STATUSES = ['draft', 'scheduled', 'published'] as const;
export const BODY_MAX = 50_000;
export const MAX_TARGETS = 2_000;

export const announcementCreateBody = z.object({
  title: text(200),
  body_html: z.string().max(BODY_MAX, `Maksimal ${BODY_MAX} karakter.`),
  target_blocks: z.array(z.string().trim().min(1).max(20)).max(200).default([]),
  target_unit_ids: z.array(id).max(MAX_TARGETS).default([]),
  owners_only: z.boolean().default(false),
  pinned: z.boolean().default(false),
  // The portal is always one of them; the others go through the messages outbox.
  channels: z.array(z.enum(CHANNELS)).max(3).default(['portal']),
});

export const publishBody = z.object({
  // An instant with its offset; the office's form turns the estate's local time into it.
  publish_at: z.iso.datetime({ offset: true, message: 'Waktu terbit tidak sah.' }).nullable().default(null),
});

export const pinBody = z.object({ pinned: z.boolean() });

export const officeListQuery = z.object({ ...paging, status: z.enum(STATUSES).optional() });
export const portalListQuery = z.object({ ...paging, pinned: booleanish.optional() });
export const attachmentParams = z.object({ estate_id: id, id, attachment_id: id });

export const attachmentResponse = z.object({ id: z.string(), filename: z.string(), mime: z.string(), size: z.number().int() });

export const announcementResponse = z.object({
  id: z.string(),
  title: z.string(),
  body_html: z.string(),
  target_blocks: z.array(z.string()),
  target_unit_ids: z.array(z.string()),
  owners_only: z.boolean(),
  pinned: z.boolean(),
  channels: z.array(z.enum(CHANNELS)),
  status: z.enum(STATUSES),
  publish_at: z.string().nullable(),
  published_at: z.string().nullable(),
  created_at: z.string(),
  attachments: z.array(attachmentResponse),
});

export const officeListItem = announcementResponse.omit({ body_html: true, attachments: true }).extend({
  recipients: z.number().int(),
  read: z.number().int(),
});
export const officeListResponse = z.object({ items: z.array(officeListItem), total: z.number().int() });

/** A channel the office chose, or the push notices sent with it, and its messages by status (the outbox's counts). */
export const channelCount = statusCounts.extend({ channel: z.enum([...CHANNELS, 'push']), total: z.number().int() });

export const deliveryReportResponse = z.object({
  id: z.string(),
  status: z.enum(STATUSES),
  recipients: z.number().int(),
  channels: z.array(channelCount),
  units: z.array(
    z.object({
      unit_id: z.string(),
      code: z.string(),
      block: z.string().nullable(),
      read_at: z.string().nullable(),
      readers: z.number().int(),
    }),
  ),
  not_reached: z.array(z.object({ unit_id: z.string(), code: z.string() })),
});

export const portalItem = z.object({
  id: z.string(),
  title: z.string(),
  pinned: z.boolean(),
  published_at: z.string(),
  read: z.boolean(),
});
export const portalListResponse = z.object({ items: z.array(portalItem), unread: z.number().int() });
export const portalDetailResponse = portalItem.extend({ body_html: z.string(), attachments: z.array(attachmentResponse) });

export type Announcement = z.infer<typeof announcementResponse>;
export type AnnouncementInput = z.input<typeof announcementCreateBody>;
export type OfficeAnnouncementList = z.infer<typeof officeListResponse>;
export type DeliveryReport = z.infer<typeof deliveryReportResponse>;
export type PortalAnnouncementList = z.infer<typeof portalListResponse>;
export type PortalAnnouncement = z.infer<typeof portalDetailResponse>;
export type AnnouncementAttachment = z.infer<typeof attachmentResponse>;
