import { z } from 'zod';
import { defineRoutes } from '../http/route.ts';
import { estateParams } from '../http/schemas.ts';
import { rawWebhookBytes } from '../http/webhook-body.ts';
import { deliveryReport } from './delivery-report.ts';
import { cloudVerifyQuery, deliveryReportQuery, deliveryReportResponse, statusWebhookAck } from './schemas.ts';
import { applyStatusEvents, cloudStatusEvents, verifyCloudSubscription, wahaStatusEvents } from './status-webhooks.ts';

const tags = ['messages'];

/**
 * Delivered and read statuses from an estate's WhatsApp provider (public, each checked with the estate's own key),
 * and the office's view of how far a batch reached (status-webhooks.ts, delivery-report.ts).
 */
export const messageStatusRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/webhooks/whatsapp-cloud',
    permission: 'public',
    tags,
    summary: "Meta's check of the Cloud API callback address: the estate's verify token must match, the challenge is echoed",
    params: estateParams,
    query: cloudVerifyQuery,
    raw: true,
    produces: ['text/plain'],
    response: z.string(),
    handler: async (ctx) => {
      const challenge = await verifyCloudSubscription(ctx.store!, ctx.app.dataDir, ctx.query);
      ctx.res.status(200).type('text/plain').send(challenge);
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/webhooks/whatsapp-cloud',
    permission: 'public',
    tags,
    summary: "Cloud API message statuses (delivered, read, failed), signed with the Meta app's secret (X-Hub-Signature-256)",
    params: estateParams,
    body: z.unknown(),
    response: statusWebhookAck,
    handler: async (ctx) => {
      const events = await cloudStatusEvents(ctx.store!, ctx.app.dataDir, ctx.req.headers, rawWebhookBytes(ctx.req), ctx.body);
      return { received: true as const, applied: await applyStatusEvents(ctx.store!, events) };
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/webhooks/waha',
    permission: 'public',
    tags,
    summary: "WAHA's message.ack events (delivered, read, failed), signed with the estate's HMAC key (X-Webhook-Hmac, sha512)",
    params: estateParams,
    body: z.unknown(),
    response: statusWebhookAck,
    handler: async (ctx) => {
      const events = await wahaStatusEvents(ctx.store!, ctx.app.dataDir, ctx.req.headers, rawWebhookBytes(ctx.req), ctx.body);
      return { received: true as const, applied: await applyStatusEvents(ctx.store!, events) };
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/messages/delivery',
    permission: 'messages.read',
    tags,
    summary:
      "A batch's reach (one announcement, or a template on one of the estate's days): counts per channel and status, and the units not reached yet",
    params: estateParams,
    query: deliveryReportQuery,
    response: deliveryReportResponse,
    handler: async (ctx) => deliveryReport(ctx.store!, ctx.app.dataDir, ctx.query),
  },
]);
