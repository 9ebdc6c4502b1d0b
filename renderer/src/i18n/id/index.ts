// One line per feature dictionary; en/index.ts mirrors this list.
export { default as common } from './common.ts';
export { default as nav } from './nav.ts';
export { default as errors } from './errors.ts';
export { default as auth } from './auth.ts';
export { default as units } from './units.ts';
export { default as residents } from './residents.ts';
export { default as users } from './users.ts';
export { default as imports } from './imports.ts';
export { default as portal } from './portal.ts';
export { default as kiosk } from './kiosk.ts';
export { default as ledger } from '../../ledger/i18n/id.ts';
export { default as dashboard } from '../../ledger/i18n/dashboard-id.ts';
export { default as gate } from './gate.ts';
export { default as jobs } from '../../features/jobs/i18n/id.ts';
export { default as settings } from '../../features/settings/i18n/id.ts';
export { default as platform } from '../../features/platform/i18n/id.ts';
export { default as sync } from '../../features/sync/i18n/id.ts';
