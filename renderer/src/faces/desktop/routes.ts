import { page, type PageRoute } from '../types.ts';

/**
 * The office (desktop) face. One line per page; the sidebar is built from the `nav` entries in this order,
 * grouped by section (data, finance, admin).
 */
export const desktopRoutes: PageRoute[] = [
  { path: '/login', access: 'guest', bare: true, page: page(() => import('../../pages/auth/LoginPage.tsx')) },
  { path: '/units', access: 'units.read', nav: { label: 'nav.units', icon: 'units', section: 'data' }, page: page(() => import('../../pages/units/UnitsListPage.tsx')) },
  { path: '/units/new', access: 'units.write', page: page(() => import('../../pages/units/UnitFormPage.tsx')) },
  { path: '/units/:id', access: 'units.read', page: page(() => import('../../pages/units/UnitDetailPage.tsx')) },
  { path: '/units/:id/edit', access: 'units.write', page: page(() => import('../../pages/units/UnitFormPage.tsx')) },
  { path: '/residents', access: 'residents.read', nav: { label: 'nav.residents', icon: 'residents', section: 'data' }, page: page(() => import('../../pages/residents/ResidentsListPage.tsx')) },
  { path: '/residents/new', access: 'residents.write', page: page(() => import('../../pages/residents/ResidentFormPage.tsx')) },
  { path: '/residents/:id/edit', access: 'residents.write', page: page(() => import('../../pages/residents/ResidentFormPage.tsx')) },
  { path: '/import', access: 'imports.write', nav: { label: 'nav.import', icon: 'import', section: 'data' }, page: page(() => import('../../pages/imports/ImportUnitsPage.tsx')) },
  { path: '/users', access: 'invites.write', nav: { label: 'nav.users', icon: 'users', section: 'admin' }, page: page(() => import('../../pages/users/UsersPage.tsx')) },
];

/** Where `/` leads until a dashboard exists; a dashboard route at '/' in the table above takes precedence. */
export const desktopHome = '/units';
