import { z } from 'zod';
import { ENDPOINT_MAX_LENGTH } from './push-endpoint.ts';

/** What `PushSubscription.toJSON()` gives in the browser, with a device label the portal adds. */
export const subscribeBody = z.object({
  endpoint: z.string().min(1).max(ENDPOINT_MAX_LENGTH),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: z.string().min(1).max(100), auth: z.string().min(1).max(40) }),
  device: z.string().trim().max(120).optional(),
});

export const unsubscribeBody = z.object({ endpoint: z.string().min(1).max(ENDPOINT_MAX_LENGTH) });

export const pushSubscriptionResponse = z.object({
  id: z.string(),
  device: z.string().nullable(),
  created_at: z.string(),
});

export const pushStatusResponse = z.object({
  /** The installation's VAPID public key (base64url), the `applicationServerKey` a browser subscribes with. */
  public_key: z.string(),
  subscriptions: z.array(pushSubscriptionResponse),
});

export const unsubscribeResponse = z.object({ removed: z.number().int() });

export type PushStatus = z.infer<typeof pushStatusResponse>;
export type PushSubscriptionView = z.infer<typeof pushSubscriptionResponse>;
