/** Notifications' public face: the portal bell, and how another domain puts a notice in it. */
export { notifyUnits, markSourceRead, type NewNotification } from './service.ts';
export { notificationRoutes } from './routes.ts';
