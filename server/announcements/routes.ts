import type { Response } from 'express';
import { defineRoutes, type RequestContext } from '../http/route.ts';
import { estateParams, idParams } from '../http/schemas.ts';
import { residencesOfRequest } from '../residency/index.ts';
import {
  announcementView,
  attachmentsOf,
  createAnnouncement,
  deliveryReport,
  getAnnouncement,
  listForOffice,
  setPinned,
} from './announcement-service.ts';
import { addAttachment, ATTACHMENT_MAX_BYTES, readAttachment } from './attachments.ts';
import { markAnnouncementRead, portalAnnouncement, portalAnnouncements, visibleAnnouncement } from './portal-service.ts';
import { publishAnnouncement } from './publishing.ts';
import {
  announcementCreateBody,
  announcementResponse,
  attachmentParams,
  attachmentResponse,
  deliveryReportResponse,
  officeListQuery,
  officeListResponse,
  pinBody,
  portalDetailResponse,
  portalListQuery,
  portalListResponse,
  publishBody,
} from './schemas.ts';

const sendAttachment = (res: Response, file: { filename: string; mime: string; data: Buffer }) => {
  res.setHeader('Content-Type', file.mime);
  res.setHeader('Content-Disposition', `inline; filename="${file.filename.replace(/"/g, '')}"`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // A PDF opened from the portal runs no script of ours, and may not frame or script anything else either.
  res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
  res.end(file.data);
};

const readerOf = (ctx: RequestContext) => residencesOfRequest(ctx);

export const announcementRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/announcements',
    permission: 'announcements.read',
    summary: 'Announcements, newest first, with how many units each reached and how many read it',
    params: estateParams,
    query: officeListQuery,
    response: officeListResponse,
    handler: (ctx) => listForOffice(ctx.store!, ctx.query),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/announcements',
    permission: 'announcements.write',
    summary: 'Write an announcement (a draft until published or scheduled)',
    status: 201,
    params: estateParams,
    body: announcementCreateBody,
    response: announcementResponse,
    handler: (ctx) => createAnnouncement(ctx.store!, ctx.body),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/announcements/:id',
    permission: 'announcements.read',
    summary: 'One announcement as the office wrote it',
    params: idParams,
    response: announcementResponse,
    handler: async (ctx) =>
      announcementView(await getAnnouncement(ctx.store!, ctx.params.id), await attachmentsOf(ctx.store!, ctx.params.id)),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/announcements/:id/publish',
    permission: 'announcements.write',
    summary: 'Publish now, or at a later time (publish_at)',
    params: idParams,
    body: publishBody,
    response: announcementResponse,
    handler: (ctx) => publishAnnouncement(ctx.store!, ctx.params.id, ctx.body.publish_at),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/announcements/:id/pin',
    permission: 'announcements.write',
    summary: 'Pin an announcement to the top of the portal, or unpin it',
    params: idParams,
    body: pinBody,
    response: announcementResponse,
    handler: (ctx) => setPinned(ctx.store!, ctx.params.id, ctx.body.pinned),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/announcements/:id/attachments',
    permission: 'announcements.write',
    summary: 'Attach a picture or a PDF (before it is published)',
    status: 201,
    params: idParams,
    upload: { field: 'file', maxBytes: ATTACHMENT_MAX_BYTES },
    response: attachmentResponse,
    handler: (ctx) => addAttachment(ctx.store!, ctx.params.id, ctx.file),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/announcements/:id/attachments/:attachment_id',
    permission: 'announcements.read',
    summary: 'A file of an announcement',
    raw: true,
    produces: ['image/*', 'application/pdf'],
    params: attachmentParams,
    handler: async (ctx) => {
      await getAnnouncement(ctx.store!, ctx.params.id);
      sendAttachment(ctx.res, await readAttachment(ctx.store!, ctx.params.id, ctx.params.attachment_id));
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/announcements/:id/delivery',
    permission: 'announcements.read',
    summary: 'Delivery and read counts per channel, and the units not yet reached',
    params: idParams,
    response: deliveryReportResponse,
    handler: (ctx) => deliveryReport(ctx.store!, ctx.params.id),
  },
]);

/** The portal: what was published to the units the resident lives in today. */
export const portalAnnouncementRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/portal/announcements',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'Announcements for my units, pinned first, then newest',
    params: estateParams,
    query: portalListQuery,
    response: portalListResponse,
    handler: async (ctx) => portalAnnouncements(ctx.store!, await readerOf(ctx), ctx.query),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/portal/announcements/:id',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'One announcement with its files',
    params: idParams,
    response: portalDetailResponse,
    handler: async (ctx) => portalAnnouncement(ctx.store!, await readerOf(ctx), ctx.params.id),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/announcements/:id/read',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'I read it (the read receipt)',
    params: idParams,
    response: portalDetailResponse.pick({ id: true, read: true }),
    handler: async (ctx) => markAnnouncementRead(ctx.store!, await readerOf(ctx), ctx.params.id),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/portal/announcements/:id/attachments/:attachment_id',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'A file of an announcement for my unit',
    raw: true,
    produces: ['image/*', 'application/pdf'],
    params: attachmentParams,
    handler: async (ctx) => {
      await visibleAnnouncement(ctx.store!, await readerOf(ctx), ctx.params.id);
      sendAttachment(ctx.res, await readAttachment(ctx.store!, ctx.params.id, ctx.params.attachment_id));
    },
  },
]);
