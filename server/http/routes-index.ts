import type { RouteDef } from './route.ts';
import { systemRoutes } from '../system/routes.ts';
import { authRoutes } from '../auth/routes.ts';
import { estateRoutes } from '../estates/routes.ts';
import { userRoutes } from '../users/routes.ts';
import { unitRoutes } from '../units/routes.ts';
import { residentRoutes } from '../residents/routes.ts';
import { importRoutes } from '../imports/routes.ts';
import { cashbookRoutes } from '../cashbook/routes.ts';
import { receiptRoutes } from '../receipts/routes.ts';
import { settingsRoutes } from '../settings/routes.ts';
import { reportRoutes } from '../reports/routes.ts';
import { dashboardRoutes } from '../dashboard/routes.ts';
import { passRoutes } from '../passes/routes.ts';
import { devicePairingRoutes } from '../devices-pairing/routes.ts';
import { gateRoutes } from '../gate/routes.ts';
import { gatePortalRoutes } from '../gate/portal-routes.ts';
import { billingRoutes, noticeRoutes, onlinePaymentRoutes, paymentRoutes, portalPaymentRoutes } from '../ledger/index.ts';
import { jobRoutes } from '../jobs/routes.ts';
import { calendarRoutes } from '../calendar/routes.ts';
import { publicUrlRoutes } from '../public-url/index.ts';
import { backupRoutes, restoreRoutes } from '../backups/index.ts';
import { syncRoutes } from '../sync/routes.ts';
import { fieldConflictRoutes } from '../sync/field-conflict-routes.ts';
import { digestRoutes } from '../sync/digest-routes.ts';
import { platformRoutes } from '../platform/routes.ts';
import { estateTransferRoutes } from '../estate-transfer/routes.ts';
import { liveRoutes } from '../live/index.ts';
import { messageRoutes, messageStatusRoutes } from '../messages/index.ts';
import { announcementRoutes, portalAnnouncementRoutes } from '../announcements/index.ts';
import { notificationRoutes } from '../notifications/index.ts';
import { webpushRoutes } from '../webpush/index.ts';

/** Every HTTP route of the API, in one list: the pipeline mounts it, OpenAPI and the permission test read it. */
export const allRoutes: RouteDef[] = [
  ...systemRoutes(() => allRoutes),
  ...authRoutes,
  ...estateRoutes,
  ...userRoutes,
  ...unitRoutes,
  ...residentRoutes,
  ...importRoutes,
  ...cashbookRoutes,
  ...receiptRoutes,
  ...settingsRoutes,
  ...reportRoutes,
  ...dashboardRoutes,
  ...passRoutes,
  ...devicePairingRoutes,
  ...gateRoutes,
  ...gatePortalRoutes,
  ...billingRoutes,
  ...paymentRoutes,
  ...portalPaymentRoutes,
  ...onlinePaymentRoutes,
  ...noticeRoutes,
  ...jobRoutes,
  ...calendarRoutes,
  ...publicUrlRoutes,
  ...backupRoutes,
  ...restoreRoutes,
  ...syncRoutes,
  ...fieldConflictRoutes,
  ...digestRoutes,
  ...platformRoutes,
  ...estateTransferRoutes,
  ...liveRoutes,
  ...messageRoutes,
  ...messageStatusRoutes,
  ...announcementRoutes,
  ...portalAnnouncementRoutes,
  ...notificationRoutes,
  ...webpushRoutes,
];
