// Import rules of the code base, checked by `npm run lint:imports` (part of `npm test`).
// tests/lint/import-rules.test.ts proves that each rule fires on a small fixture tree.
//
// server/<folder>/ is either shared infrastructure or a domain:
//  - infrastructure: db/ (data layer), http/ (pipeline, route table, typed errors), jobs/ (durable jobs),
//    observability/ (logs, metrics, readiness);
//  - shared kernel, imported directly by any domain: auth/, devices/, calendar/, money/, sync/ (the server README
//    names them shared infrastructure; calendar and money are the one home of their rule);
//  - every other folder is a domain, reached by other domains only through its public module `index.ts`.

const INFRASTRUCTURE = ['db', 'http', 'jobs', 'observability'];
const KERNEL = ['auth', 'devices', 'calendar', 'money', 'sync'];
const NOT_DOMAINS = [...INFRASTRUCTURE, ...KERNEL];

/** Unit tests beside the code may reach inside the module they test (and its neighbours' fixtures). */
const TEST_FILE = '\\.test\\.tsx?$';

/** Request and response schemas: `schemas.ts`, or `<aggregate>-schemas.ts` in a domain with several aggregates. */
const SCHEMA_FILE = '/(schemas|[\\w-]+-schemas)\\.ts$';

/** A file in a server folder that is a domain or kernel code: everything outside db/, http/ and jobs/. */
const DOMAIN_CODE = `^server/(?!(?:${INFRASTRUCTURE.join('|')})/)[^/]+/`;

/**
 * What domain code may use from server/db/. Everything else in db/ (the knex factory and its SQLite driver glue,
 * bulk inserts, journal policy, migrations, backups, locks) is the data layer's own and may change with it.
 */
const DB_PUBLIC = ['scoped-store.ts', 'platform-store.ts', 'clock.ts', 'ids.ts', 'query-template.ts'];

/**
 * Justified exceptions: domain files that use one internal db/ module at run time, with the reason. Keyed by the
 * internal module; each entry is a path regex of the importing file.
 */
const DB_INTERNAL_EXCEPTIONS = {
  // moving one estate between installations copies its tables as they are (server/estate-transfer/README.md)
  'estate-archive.ts': [{ from: '^server/estate-transfer/service\\.ts$', reason: "the estate archive's format and its checks" }],
  'estate-dump.ts': [{ from: '^server/estate-transfer/service\\.ts$', reason: 'reads every table of one estate in one snapshot' }],
  'estate-load.ts': [{ from: '^server/estate-transfer/service\\.ts$', reason: 'writes an archived estate in one transaction' }],
  'estate-tables.ts': [
    { from: '^server/sync/apply-changes\\.ts$', reason: "a push batch's new rows go in table by table, parents first (foreign keys)" },
  ],
  'knex.ts': [
    { from: '^server/backups/restore\\.ts$', reason: "the office's restore opens the staged copy of a backup to migrate and compare it" },
    // dialectOf: row locks, the cash book's estate lock and the receipt counter use PostgreSQL's locking clauses
    // (FOR UPDATE, advisory locks), which SQLite does not have and does not need (one writer at a time).
    { from: '^server/ledger/row-lock\\.ts$', reason: 'PostgreSQL row and advisory locks' },
    { from: '^server/cashbook/append-entry\\.ts$', reason: "PostgreSQL lock on the estate's cash book" },
    { from: '^server/receipts/receipt-store\\.ts$', reason: 'PostgreSQL lock when the original receipt is printed' },
    { from: '^server/users/member-admin\\.ts$', reason: "PostgreSQL lock on the estate's administrators (last admin)" },
    { from: '^server/platform/service\\.ts$', reason: "PostgreSQL lock on the platform's administrators (last admin)" },
    { from: '^server/sync/change-log\\.ts$', reason: "the change log's order: transaction ids on PostgreSQL, rowid on SQLite" },
    { from: '^server/sync/apply-changes\\.ts$', reason: 'how each database binds booleans and numbers of applied rows' },
    { from: '^server/sync/digests\\.ts$', reason: "the estate's tables: information_schema on PostgreSQL, sqlite_master on SQLite" },
  ],
  'bulk-insert.ts': [{ from: '^server/ledger/ledger-rows\\.ts$', reason: 'billing run inserts many rows per statement (billing budget)' }],
  'sqlite-direct.ts': [
    { from: '^server/gate/attempt-limiter\\.ts$', reason: 'one prepared statement per guess on the gate-scan hot path' },
  ],
  'journal-policy.ts': [
    // which tables sync carries and which columns stay on their site is the journal's own policy, read, not copied
    { from: '^server/sync/apply-changes\\.ts$', reason: 'synced tables and site-local columns' },
  ],
  'backup.ts': [
    // the installation's scheduled backups copy the database file and re-read the copy's cash books
    { from: '^server/backups/service\\.ts$', reason: 'scheduled backups copy and check the database file' },
    { from: '^server/backups/restore\\.ts$', reason: "the office's restore copies, checks and replaces the database file" },
  ],
  'sync-context.ts': [
    // create-admin and seed-demo run from the command line before any server: they build the platform store's
    // sync context themselves.
    { from: '^server/system/(create-admin|seed-demo)\\.ts$', reason: 'command-line bootstrap outside a request' },
    { from: '^server/backups/restore\\.ts$', reason: 'the staged copy of a backup is written to outside any request store' },
  ],
};

const DB_INTERNAL_RULES = [];
for (const [module, exceptions] of Object.entries(DB_INTERNAL_EXCEPTIONS)) {
  DB_INTERNAL_RULES.push({
    name: `domain-db-internal:${module}`,
    severity: 'error',
    comment: `Domain code reaches server/db/${module}, an internal of the data layer. Allowed only for: ${exceptions
      .map((e) => `${e.from} (${e.reason})`)
      .join('; ')}.`,
    from: { path: DOMAIN_CODE, pathNot: [TEST_FILE, ...exceptions.map((e) => e.from)] },
    to: { path: `^server/db/${module.replace('.', '\\.')}$`, dependencyTypesNot: ['type-only'] },
  });
}
const DB_WITH_OWN_RULE = Object.keys(DB_INTERNAL_EXCEPTIONS);

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-knex',
      severity: 'error',
      comment:
        'Domain code reaches the database through the scoped or platform store, never through knex or a driver ' +
        "directly; `import type { Knex } from 'knex'` is fine.",
      from: { path: DOMAIN_CODE, pathNot: TEST_FILE },
      to: { path: '(^|/)node_modules/(knex|better-sqlite3|pg|pg-[^/]+)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-db-internal',
      severity: 'error',
      comment: `Domain code uses only the public modules of server/db/: ${DB_PUBLIC.join(', ')}.`,
      from: { path: DOMAIN_CODE, pathNot: TEST_FILE },
      to: {
        path: '^server/db/',
        pathNot: [...DB_PUBLIC, ...DB_WITH_OWN_RULE].map((m) => `^server/db/${m.replace('.', '\\.')}$`),
        dependencyTypesNot: ['type-only'],
      },
    },
    ...DB_INTERNAL_RULES,
    {
      name: 'db-imports-http',
      severity: 'error',
      comment:
        'The data layer does not know about HTTP. Exception: http/errors.ts, the typed-error vocabulary with no ' +
        "Express import (rule http-errors-stand-alone): the store's get() throws its NotFoundError, so a missing or " +
        "another estate's row is the same 404 everywhere.",
      from: { path: '^server/db/' },
      to: { path: '^server/http/', pathNot: '^server/http/errors\\.ts$' },
    },
    {
      name: 'http-errors-stand-alone',
      severity: 'error',
      comment: 'http/errors.ts is imported by the data layer, so it imports nothing itself.',
      from: { path: '^server/http/errors\\.ts$' },
      to: {},
    },
    {
      name: 'server-imports-ui',
      severity: 'error',
      comment: 'The server runs without Electron and without the renderer: it never imports renderer/ or main/.',
      from: { path: '^server/' },
      to: { path: '^(renderer|main)/' },
    },
    {
      name: 'renderer-imports-server-code',
      severity: 'error',
      comment:
        'The renderer runs in a browser and imports server shapes as types only, from route schemas ' +
        '(server/**/schemas.ts, server/**/*-schemas.ts) or the role table, or pure code from shared/. Exceptions, pure modules without ' +
        'imports that the UI must agree with exactly: auth/permissions.ts (roleHasPermission: the UI hides what ' +
        "the server would refuse) and imports/column-mapping.ts (IMPORT_FIELDS: the import page's columns).",
      from: { path: '^renderer/' },
      to: {
        path: '^server/',
        pathNot: ['^server/auth/permissions\\.ts$', '^server/imports/column-mapping\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'renderer-imports-server-internals-as-types',
      severity: 'error',
      comment: 'Types the renderer takes from the server come from route schemas or the role table only.',
      from: { path: '^renderer/' },
      to: {
        path: '^server/',
        pathNot: [`^server/.+${SCHEMA_FILE}`, '^server/auth/permissions\\.ts$', '^server/imports/column-mapping\\.ts$'],
        dependencyTypes: ['type-only'],
      },
    },
    {
      name: 'shared-stands-alone',
      severity: 'error',
      comment: 'shared/ holds shapes and pure code used on both sides, so it imports no server, renderer or main code.',
      from: { path: '^shared/' },
      to: { path: '^(server|renderer|main)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-main-apart',
      severity: 'error',
      comment: 'The renderer and the Electron shell meet only through the preload bridge (IPC), never by import.',
      from: { path: '^(renderer|main)/' },
      to: { path: '^(renderer|main)/', pathNot: '^$1' },
    },
    {
      name: 'domain-reaches-inside-domain',
      severity: 'error',
      comment:
        "Domains use each other through the other domain's public module, server/<domain>/index.ts. Infrastructure " +
        `(${INFRASTRUCTURE.join(', ')}) composes the domains (route index, job registry) and is not bound by this; ` +
        `shared kernel folders (${KERNEL.join(', ')}) are imported directly.`,
      from: { path: `^server/(?!(?:${NOT_DOMAINS.join('|')})/)([^/]+)/`, pathNot: [TEST_FILE, SCHEMA_FILE] },
      to: {
        path: `^server/(?!(?:${NOT_DOMAINS.join('|')})/)[^/]+/`,
        pathNot: ['^server/$1/', '^server/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'schemas-reach-inside-domain',
      severity: 'error',
      comment:
        "A domain's schemas.ts uses another domain's shapes from that domain's schemas.ts. Schemas are shared with the " +
        'renderer, which type-checks without Node types: going through index.ts would pull services and the data ' +
        'layer into it.',
      from: { path: `^server/(?!(?:${NOT_DOMAINS.join('|')})/)([^/]+)/(schemas|[\\w-]+-schemas)\\.ts$` },
      to: {
        path: `^server/(?!(?:${NOT_DOMAINS.join('|')})/)[^/]+/`,
        pathNot: ['^server/$1/', '^server/[^/]+/index\\.ts$', `^server/.+${SCHEMA_FILE}`],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Modules that import each other, directly or around a ring, load in an order that depends on who is imported ' +
        'first, and neither can be understood alone: move the shared piece to a module both import. Type-only ' +
        'imports count on the server too (they are the same tangle); a lazy `import()` does not.',
      from: { path: '^(server|main|shared)/' },
      to: { circular: true, dependencyTypesNot: ['dynamic-import'], viaOnly: { dependencyTypesNot: ['dynamic-import'] } },
    },
    {
      name: 'no-circular-runtime',
      severity: 'error',
      comment:
        'In the renderer, cycles of run-time imports are forbidden. Type-only rings stay allowed (each language ' +
        "catalog is typed by the catalog index that imports it), and so do lazy pages importing their face's router.",
      from: { path: '^renderer/' },
      to: {
        circular: true,
        dependencyTypesNot: ['type-only', 'dynamic-import'],
        viaOnly: { dependencyTypesNot: ['type-only', 'dynamic-import'] },
      },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '(^|/)dist/' },
    // Without this, `import type` lines vanish before the rules see them and type-only imports could not be told apart.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mjs', '.js', '.cjs', '.json'] },
  },
};
