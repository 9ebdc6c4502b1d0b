import { NotFoundError } from '../http/errors.ts';
import { defineRoutes, type RequestContext } from '../http/route.ts';
import { estateParams } from '../http/schemas.ts';
import { residencesOfRequest } from '../residency/index.ts';
import { pushStatusResponse, pushSubscriptionResponse, subscribeBody, unsubscribeBody, unsubscribeResponse } from './schemas.ts';
import { subscribe, subscriptionsOf, unsubscribe } from './subscription-service.ts';
import { vapidKeys } from './vapid-keys.ts';

const tags = ['portal'];

/** The caller's resident record in this estate, who must live in one of its units today. */
async function residentOfRequest(ctx: RequestContext): Promise<string> {
  const { residentId, residences } = await residencesOfRequest(ctx);
  if (!residences.length) throw new NotFoundError('Unit');
  return residentId;
}

export const webpushRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/portal/push',
    permission: 'portal.self',
    tags,
    summary: "The installation's VAPID public key and my devices with push on",
    params: estateParams,
    response: pushStatusResponse,
    handler: async (ctx) => {
      const residentId = await residentOfRequest(ctx);
      const keys = await vapidKeys(ctx.app);
      return { public_key: keys.publicKey, subscriptions: await subscriptionsOf(ctx.store!, residentId) };
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/push/subscriptions',
    permission: 'portal.self',
    tags,
    summary: "Turn push on for this device (the browser's PushSubscription)",
    params: estateParams,
    body: subscribeBody,
    response: pushSubscriptionResponse,
    status: 201,
    handler: async (ctx) => subscribe(ctx.store!, await residentOfRequest(ctx), ctx.body),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/push/subscriptions/remove',
    permission: 'portal.self',
    tags,
    summary: 'Turn push off for this device',
    params: estateParams,
    body: unsubscribeBody,
    response: unsubscribeResponse,
    handler: async (ctx) => ({ removed: await unsubscribe(ctx.store!, await residentOfRequest(ctx), ctx.body.endpoint) }),
  },
]);
