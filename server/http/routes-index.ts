import type { RouteDef } from './route.ts';
import { systemRoutes } from '../system/routes.ts';
import { authRoutes } from '../auth/routes.ts';
import { estateRoutes } from '../estates/routes.ts';
import { userRoutes } from '../users/routes.ts';
import { unitRoutes } from '../units/routes.ts';
import { residentRoutes } from '../residents/routes.ts';
import { importRoutes } from '../imports/routes.ts';
import { cashbookRoutes } from '../cashbook/routes.ts';
import { passRoutes } from '../passes/routes.ts';
import { devicePairingRoutes } from '../devices-pairing/routes.ts';
import { gateRoutes } from '../gate/routes.ts';
import { gatePortalRoutes } from '../gate/portal-routes.ts';
import { receiptRoutes } from '../receipts/routes.ts';
import { settingsRoutes } from '../settings/routes.ts';

/** Every HTTP route of the API, in one list: the pipeline mounts it, OpenAPI and the permission test read it. */
export const allRoutes: RouteDef[] = [
  ...systemRoutes,
  ...authRoutes,
  ...estateRoutes,
  ...userRoutes,
  ...unitRoutes,
  ...residentRoutes,
  ...importRoutes,
  ...cashbookRoutes,
  ...passRoutes,
  ...devicePairingRoutes,
  ...gateRoutes,
  ...gatePortalRoutes,
  ...receiptRoutes,
  ...settingsRoutes,
];
