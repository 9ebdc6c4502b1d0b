import { PendingProofsBadge } from '../../ledger/PendingProofsBadge.tsx';
import { page, type PageRoute } from '../types.ts';

/**
 * The office (desktop) face. One line per page; the sidebar is built from the `nav` entries in this order,
 * grouped by section (data, finance, admin).
 */
export const desktopRoutes: PageRoute[] = [
  {
    path: '/',
    access: 'reports.read',
    nav: { label: 'ledger.nav_dashboard', icon: 'home', section: 'finance' },
    page: page(() => import('../../ledger/DashboardPage.tsx')),
  },
  {
    path: '/fee-types',
    access: 'fees.read',
    nav: { label: 'ledger.nav_fee_types', icon: 'wallet', section: 'finance' },
    page: page(() => import('../../ledger/FeeTypesPage.tsx')),
  },
  {
    path: '/billing',
    access: 'billing.run',
    nav: { label: 'ledger.nav_billing', icon: 'file', section: 'finance' },
    page: page(() => import('../../ledger/BillingRunPage.tsx')),
  },
  {
    path: '/invoices',
    access: 'invoices.read',
    nav: { label: 'ledger.nav_invoices', icon: 'file', section: 'finance' },
    page: page(() => import('../../ledger/InvoicesPage.tsx')),
  },
  {
    path: '/payments',
    access: 'payments.read',
    nav: { label: 'ledger.nav_payments', icon: 'receipt', section: 'finance' },
    page: page(() => import('../../ledger/PaymentsPage.tsx')),
  },
  { path: '/invoices/:id', access: 'invoices.read', page: page(() => import('../../ledger/InvoiceDetailPage.tsx')) },
  { path: '/units/:id/account', access: 'invoices.read', page: page(() => import('../../ledger/AccountCardPage.tsx')) },
  { path: '/payments/new', access: 'payments.write', page: page(() => import('../../ledger/RecordPaymentPage.tsx')) },
  { path: '/payments/:id', access: 'payments.read', page: page(() => import('../../ledger/PaymentDetailPage.tsx')) },
  {
    path: '/transfer-proofs',
    access: 'payments.verify',
    nav: { label: 'ledger.nav_transfer_proofs', icon: 'receipt', section: 'finance', badge: PendingProofsBadge },
    page: page(() => import('../../ledger/TransferProofsPage.tsx')),
  },
  {
    path: '/cashbook',
    access: 'cashbook.read',
    nav: { label: 'ledger.nav_cashbook', icon: 'book', section: 'finance' },
    page: page(() => import('../../ledger/CashbookPage.tsx')),
  },
  {
    path: '/reports',
    access: 'reports.read',
    nav: { label: 'ledger.nav_reports', icon: 'chart', section: 'finance' },
    page: page(() => import('../../ledger/ReportsPage.tsx')),
  },
  {
    path: '/arrears',
    access: 'reports.read',
    nav: { label: 'ledger.nav_arrears', icon: 'alert', section: 'finance' },
    page: page(() => import('../../ledger/ArrearsPage.tsx')),
  },
  { path: '/login', access: 'guest', bare: true, page: page(() => import('../../pages/auth/LoginPage.tsx')) },
  {
    path: '/units',
    access: 'units.read',
    nav: { label: 'nav.units', icon: 'units', section: 'data' },
    page: page(() => import('../../pages/units/UnitsListPage.tsx')),
  },
  { path: '/units/new', access: 'units.write', page: page(() => import('../../pages/units/UnitFormPage.tsx')) },
  { path: '/units/:id', access: 'units.read', page: page(() => import('../../pages/units/UnitDetailPage.tsx')) },
  { path: '/units/:id/edit', access: 'units.write', page: page(() => import('../../pages/units/UnitFormPage.tsx')) },
  {
    path: '/residents',
    access: 'residents.read',
    nav: { label: 'nav.residents', icon: 'residents', section: 'data' },
    page: page(() => import('../../pages/residents/ResidentsListPage.tsx')),
  },
  { path: '/residents/new', access: 'residents.write', page: page(() => import('../../pages/residents/ResidentFormPage.tsx')) },
  { path: '/residents/:id/edit', access: 'residents.write', page: page(() => import('../../pages/residents/ResidentFormPage.tsx')) },
  {
    path: '/import',
    access: 'imports.write',
    nav: { label: 'nav.import', icon: 'import', section: 'data' },
    page: page(() => import('../../pages/imports/ImportUnitsPage.tsx')),
  },
  {
    path: '/announcements',
    access: 'announcements.read',
    nav: { label: 'announcements.nav', icon: 'megaphone', section: 'data' },
    page: page(() => import('../../features/announcements/OfficeAnnouncementsPage.tsx')),
  },
  {
    path: '/announcements/:id',
    access: 'announcements.read',
    page: page(() => import('../../features/announcements/AnnouncementReportPage.tsx')),
  },
  {
    path: '/gate/access-log',
    access: 'access_log.read',
    nav: { label: 'gate.nav_access_log', icon: 'gate', section: 'data' },
    page: page(() => import('../../gate/AccessLogPage.tsx')),
  },
  {
    path: '/gate/passes',
    access: 'passes.read',
    nav: { label: 'gate.nav_passes', icon: 'gate', section: 'data' },
    page: page(() => import('../../gate/OfficePassesPage.tsx')),
  },
  {
    path: '/gate/setup',
    access: 'gates.write',
    nav: { label: 'gate.nav_setup', icon: 'gate', section: 'admin' },
    page: page(() => import('../../gate/GatePostSetupPage.tsx')),
  },
  {
    path: '/messages',
    access: 'messages.read',
    nav: { label: 'messages.nav', icon: 'alert', section: 'admin' },
    page: page(() => import('../../features/messages/MessagesPage.tsx')),
  },
  {
    path: '/settings/messages',
    access: 'messages.settings',
    nav: { label: 'messages.channels_nav', icon: 'settings', section: 'admin' },
    page: page(() => import('../../features/messages/ChannelSettingsPage.tsx')),
  },
  {
    path: '/settings/message-templates',
    access: 'messages.settings',
    nav: { label: 'messages.templates_nav', icon: 'settings', section: 'admin' },
    page: page(() => import('../../features/messages/TemplatesPage.tsx')),
  },
  {
    path: '/jobs',
    access: 'jobs.read',
    nav: { label: 'jobs.nav', icon: 'alert', section: 'admin' },
    page: page(() => import('../../features/jobs/JobsPage.tsx')),
  },
  {
    path: '/settings',
    access: 'settings.read',
    nav: { label: 'settings.nav', icon: 'settings', section: 'admin' },
    page: page(() => import('../../features/settings/PublicUrlSettingsPage.tsx')),
  },
  {
    path: '/settings/backups',
    access: 'installation.write',
    nav: { label: 'backups.nav', icon: 'settings', section: 'admin' },
    page: page(() => import('../../features/backups/BackupsPage.tsx')),
  },
  {
    path: '/settings/sync',
    access: 'settings.read',
    nav: { label: 'sync.nav', icon: 'settings', section: 'admin' },
    page: page(() => import('../../features/sync/SyncPage.tsx')),
  },
  {
    path: '/settings/online-payments',
    access: 'gateway.manage',
    nav: { label: 'online.nav', icon: 'settings', section: 'admin' },
    page: page(() => import('../../features/online-payments/OnlinePaymentsPage.tsx')),
  },
  {
    path: '/settings/printer',
    access: 'settings.read',
    nav: { label: 'gate.nav_printer', icon: 'settings', section: 'admin' },
    page: page(() => import('../../features/printer/PrinterSettingsPage.tsx')),
  },
  {
    path: '/platform',
    access: 'platform.manage',
    nav: { label: 'platform.nav', icon: 'units', section: 'admin' },
    page: page(() => import('../../features/platform/PlatformPage.tsx')),
  },
  {
    path: '/users',
    access: 'invites.write',
    nav: { label: 'nav.users', icon: 'users', section: 'admin' },
    page: page(() => import('../../pages/users/UsersPage.tsx')),
  },
];

/** Where `/` leads until a dashboard exists; a dashboard route at '/' in the table above takes precedence. */
export const desktopHome = '/units';
