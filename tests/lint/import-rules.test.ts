// The import rules in .dependency-cruiser.cjs, run on a small tree written here: each rule must fire on the import
// it forbids and stay quiet on the imports it allows (type-only imports, public modules, listed exceptions, tests).
// `npm run lint:imports` checks the real tree with the same configuration.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const FIXTURE: Record<string, string> = {
  'server/db/scoped-store.ts': "import { NotFoundError } from '../http/errors.ts';\nexport const store = NotFoundError;\n",
  'server/db/knex.ts': 'export const dialectOf = () => 1;\n',
  'server/db/migrate.ts': 'export const migrate = 1;\n',
  'server/db/sqlite-direct.ts': 'export const rawRows = 1;\n',
  'server/db/journal.ts': "import { app } from '../http/app.ts';\nexport const journal = app;\n",
  'server/http/app.ts': 'export const app = 1;\n',
  'server/http/errors.ts': "import { app } from './app.ts';\nexport class NotFoundError { app = app; }\n",
  'server/money/rupiah.ts': 'export const rupiah = 1;\n',
  'server/units/service.ts': [
    "import knex from 'knex';",
    "import type { Knex } from 'knex';",
    "import { store } from '../db/scoped-store.ts';",
    "import { migrate } from '../db/migrate.ts';",
    "import { dialectOf } from '../db/knex.ts';",
    "import type { rawRows } from '../db/sqlite-direct.ts';",
    "import { rupiah } from '../money/rupiah.ts';",
    "import { page } from '../../renderer/src/page.tsx';",
    'export const service = [knex, store, migrate, dialectOf, rupiah, page] as unknown as Knex;',
    'export type Raw = typeof rawRows;',
    '',
  ].join('\n'),
  'server/units/schemas.ts': 'export type Unit = { id: string };\n',
  'server/units/unit-schemas.ts': 'export type UnitPage = { items: string[] };\n',
  'server/units/index.ts': "export { service } from './service.ts';\n",
  'server/gate/schemas.ts':
    "import type { Unit } from '../units/schemas.ts';\nimport { service } from '../units/service.ts';\nexport const s = service as unknown as Unit;\n",
  'shared/shapes.ts': "import { service } from '../server/units/service.ts';\nexport const shape = service;\n",
  'server/ledger/row-lock.ts': "import { dialectOf } from '../db/knex.ts';\nexport const lock = dialectOf;\n",
  'server/gate/scan.ts': [
    "import { service } from '../units/service.ts';",
    "import { service as viaIndex } from '../units/index.ts';",
    'export const scan = [service, viaIndex];',
    '',
  ].join('\n'),
  'server/gate/scan.test.ts':
    "import { service } from '../units/service.ts';\nimport { dialectOf } from '../db/knex.ts';\nexport const t = [service, dialectOf];\n",
  'renderer/src/page.tsx': [
    "import { service } from '../../server/units/service.ts';",
    "import type { Unit } from '../../server/units/schemas.ts';",
    "import type { UnitPage } from '../../server/units/unit-schemas.ts';",
    "import type { Raw } from '../../server/units/service.ts';",
    "import { bridge } from '../../main/bridge.ts';",
    "import { shape } from '../../shared/shapes.ts';",
    'export const page = [service, bridge, shape] as unknown as [Unit, UnitPage, Raw];',
    '',
  ].join('\n'),
  'main/bridge.ts': 'export const bridge = 1;\n',
  // A ring on the server, one way only as a type: still a cycle there.
  'server/devices/printer-a.ts': "import type { B } from './printer-b.ts';\nexport const a = 1;\nexport type A = B;\n",
  'server/devices/printer-b.ts': "import { a } from './printer-a.ts';\nexport const b = a;\nexport type B = number;\n",
  // A lazy import back is no cycle.
  'server/devices/lazy-a.ts': "import { lazyB } from './lazy-b.ts';\nexport const lazyA = lazyB;\n",
  'server/devices/lazy-b.ts': "export const lazyB = () => import('./lazy-a.ts');\n",
  // The renderer: a run-time ring is refused, a type-only ring (a catalog typed by its index) is not.
  'renderer/src/ring-a.ts': "import { ringB } from './ring-b.ts';\nexport const ringA = () => ringB;\n",
  'renderer/src/ring-b.ts': "import { ringA } from './ring-a.ts';\nexport const ringB = () => ringA;\n",
  'renderer/src/i18n/messages.ts':
    "import { en } from './en.ts';\nexport type Messages = { hello: string };\nexport const messages = { en };\n",
  'renderer/src/i18n/en.ts': "import type { Messages } from './messages.ts';\nexport const en: Messages = { hello: 'Hello' };\n",
};

/** [rule, from, to] of every violation the fixture must produce, and no other. */
const EXPECTED: [string, string, string][] = [
  ['domain-imports-knex', 'server/units/service.ts', 'knex'],
  ['domain-db-internal', 'server/units/service.ts', 'server/db/migrate.ts'],
  ['domain-db-internal:knex.ts', 'server/units/service.ts', 'server/db/knex.ts'],
  ['db-imports-http', 'server/db/journal.ts', 'server/http/app.ts'],
  ['http-errors-stand-alone', 'server/http/errors.ts', 'server/http/app.ts'],
  ['server-imports-ui', 'server/units/service.ts', 'renderer/src/page.tsx'],
  ['renderer-imports-server-code', 'renderer/src/page.tsx', 'server/units/service.ts'],
  ['renderer-imports-server-internals-as-types', 'renderer/src/page.tsx', 'server/units/service.ts'],
  ['renderer-main-apart', 'renderer/src/page.tsx', 'main/bridge.ts'],
  ['domain-reaches-inside-domain', 'server/gate/scan.ts', 'server/units/service.ts'],
  ['schemas-reach-inside-domain', 'server/gate/schemas.ts', 'server/units/service.ts'],
  ['shared-stands-alone', 'shared/shapes.ts', 'server/units/service.ts'],
  ['no-circular', 'server/devices/printer-a.ts', 'server/devices/printer-b.ts'],
  // The fixture's forbidden imports between server, shared and renderer close rings of their own.
  ['no-circular', 'server/units/service.ts', 'renderer/src/page.tsx'],
  ['no-circular', 'shared/shapes.ts', 'server/units/service.ts'],
  ['no-circular-runtime', 'renderer/src/page.tsx', 'server/units/service.ts'],
  ['no-circular-runtime', 'renderer/src/page.tsx', 'shared/shapes.ts'],
  ['no-circular-runtime', 'renderer/src/ring-a.ts', 'renderer/src/ring-b.ts'],
];

let dir = '';
let violations: [string, string, string][] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'klustera-import-rules-'));
  for (const [file, text] of Object.entries(FIXTURE)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  // `knex` must resolve as a package, as it does in the real tree.
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
      'server',
      'renderer',
      'main',
      '--config',
      path.join(root, '.dependency-cruiser.cjs'),
      '--output-type',
      'json',
    ],
    { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  expect(result.stdout, result.stderr).not.toBe('');
  const report = JSON.parse(result.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  violations = report.summary.violations.map((v) => [v.rule.name, v.from, v.to.replace(/^.*node_modules\/(knex)\/.*$/, '$1')]);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('import rules', () => {
  it.each(EXPECTED)('%s fires on %s → %s', (rule, from, to) => {
    expect(violations).toContainEqual([rule, from, to]);
  });

  it('allow type-only knex, public db modules, listed exceptions, index modules, the kernel, schema types and tests', () => {
    const key = (v: [string, string, string]) => v.join(' ');
    expect(violations.map(key).sort()).toEqual(EXPECTED.map(key).sort());
  });
});
