/** Announcements' public face: the routes and the job that publishes a scheduled one. */
export { announcementRoutes, portalAnnouncementRoutes } from './routes.ts';
export { publishAnnouncementJob } from './publishing.ts';
