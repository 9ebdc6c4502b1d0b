/**
 * Web Push's public face: the portal's subscribe routes, and for the messages outbox which residents have push on
 * and the sending itself. See README.md.
 */
export { webpushRoutes } from './routes.ts';
export { pushToResident, residentsWithPush, type ResidentPushResult } from './subscription-service.ts';
export { pushLink } from './push-endpoint.ts';
export type { PushPayload } from './push-delivery.ts';
