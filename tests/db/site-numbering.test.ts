// Two sites of one estate mint human numbers at the same time without talking to each other: the office desktop on
// SQLite (site code "B") and the hosted instance on PostgreSQL (the estate's first site, empty code). Their rows are
// then merged as sync will merge them: the estate's unique indexes must accept the union.
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../server/db/clock.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { newId } from '../../server/db/ids.ts';
import { ScopedStore } from '../../server/db/scoped-store.ts';
import { loadSyncContext } from '../../server/db/sync-context.ts';
import { backupDatabase, restoreDatabase } from '../../server/db/backup.ts';
import { ConflictError, ValidationError } from '../../server/http/errors.ts';
import { createCharge } from '../../server/ledger/invoice-service.ts';
import { recordPayment } from '../../server/ledger/payment-service.ts';
import { assignSiteCode, resumeNumberingPast, siteCodeOf } from '../../server/ledger/number-minting.ts';
import { parseInvoiceNumber, parsePaymentNumber, sequenceOfNumber } from '../../server/ledger/numbering.ts';
import { ensureReceipt } from '../../server/receipts/receipt-store.ts';
import { unitSortKey } from '../../server/units/unit-code.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';
import { TEST_ACTOR } from './fixtures.ts';

const ESTATE_ID = newId();
const UNIT_IDS = Array.from({ length: 10 }, () => newId());
const HOSTED = 'site-hosted-1';
const DESKTOP = 'site-desktop-b';

// The formats server/ledger/README.md documents ("Numbers").
const INVOICE_FORMAT = /^INV(-[A-HJ-NP-Z]{1,2})?\/\d{4}\/\d{2}\/\d{4,}$/;
const PAYMENT_FORMAT = /^PAY(-[A-HJ-NP-Z]{1,2})?\d{8}\d{3,}$/;
const RECEIPT_FORMAT = /^KW(-[A-HJ-NP-Z]{1,2})?\d{8}\d{3,}$/;

async function siteStore(knex: Knex, siteId: string): Promise<ScopedStore> {
  return new ScopedStore(knex, ESTATE_ID, TEST_ACTOR, await loadSyncContext(knex, siteId));
}

/** The estate and its units as both sites hold them after pairing: same ids, and both sites' codes registered. */
async function seedEstate(store: ScopedStore): Promise<void> {
  const at = nowIso();
  await store
    .knex('estates')
    .insert({ id: ESTATE_ID, name: 'Perumahan Griya Asri', timezone: 'Asia/Jakarta', settings: '{}', created_at: at, updated_at: at });
  for (const [i, id] of UNIT_IDS.entries()) {
    const code = `A-${i + 1}`;
    await store.insert('units', { id, code, sort_key: unitSortKey(code), block: 'A', type: 'rumah', occupancy: 'occupied' });
  }
  await assignSiteCode(store, HOSTED, '');
  await assignSiteCode(store, DESKTOP, 'B');
}

/** 100 payments and 100 invoices (20 charges of 5 units), all started at once. */
async function mintConcurrently(store: ScopedStore, label: string): Promise<void> {
  const payments = Array.from({ length: 100 }, (_, i) =>
    recordPayment(store, { unit_id: UNIT_IDS[i % UNIT_IDS.length], amount: 10_000 + i, method: 'cash', paid_at: nowIso(), notes: label }),
  );
  const charges = Array.from({ length: 20 }, (_, i) =>
    createCharge(store, {
      name: `${label} ${i}`,
      amount: 25_000,
      period: '2026-11' as never,
      due_date: '2026-11-28',
      unit_ids: UNIT_IDS.slice((i % 2) * 5, (i % 2) * 5 + 5),
    }),
  );
  await Promise.all([...payments, ...charges]);
}

async function numbersOf(knex: Knex) {
  return {
    invoices: (await knex('invoices').where({ estate_id: ESTATE_ID }).pluck('number')) as string[],
    payments: (await knex('payments').where({ estate_id: ESTATE_ID }).pluck('number')) as string[],
    receipts: (await knex('receipts').where({ estate_id: ESTATE_ID }).pluck('receipt_number')) as string[],
  };
}

/** Copies one site's money rows into the other's database, as sync's union of append-only rows will. */
async function copyRows(from: Knex, to: Knex, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const rows = await from(table)
    .where({ estate_id: ESTATE_ID, ...where })
    .select('*');
  const present = new Set((await to(table).where({ estate_id: ESTATE_ID }).pluck('id')) as string[]);
  const fresh = rows.filter((r: { id: string }) => !present.has(r.id));
  for (let i = 0; i < fresh.length; i += 50) await to(table).insert(fresh.slice(i, i + 50));
  return fresh.length;
}

/** Sequence numbers of each counter (site × series), sorted. */
function countersOf(numbers: string[]): Map<string, number[]> {
  const byCounter = new Map<string, number[]>();
  for (const n of numbers) {
    const seq = sequenceOfNumber(n);
    if (!seq) throw new Error(`not a minted number: ${n}`);
    byCounter.set(seq.name, [...(byCounter.get(seq.name) ?? []), seq.seq]);
  }
  for (const list of byCounter.values()) list.sort((a, b) => a - b);
  return byCounter;
}

const sqliteBackend = BACKENDS.find((b) => b.name === 'sqlite')!;
const postgresBackend = BACKENDS.find((b) => b.name === 'postgres')!;

describe('human numbers across two sites of one estate', () => {
  let desktop: OpenedBackend;
  let hosted: OpenedBackend;
  let desktopStore: ScopedStore;
  let hostedStore: ScopedStore;

  beforeAll(async () => {
    [desktop, hosted] = await Promise.all([sqliteBackend.open(), postgresBackend.open()]);
    await Promise.all([migrateToLatest(desktop.db), migrateToLatest(hosted.db)]);
    desktopStore = await siteStore(desktop.db.knex, DESKTOP);
    hostedStore = await siteStore(hosted.db.knex, HOSTED);
    await seedEstate(desktopStore);
    await seedEstate(hostedStore);
  });
  afterAll(async () => {
    await Promise.all([desktop?.dispose(), hosted?.dispose()]);
  });

  it('each site knows its own code; codes are checked and never shared within the estate', async () => {
    expect(await siteCodeOf(desktopStore)).toBe('B');
    expect(await siteCodeOf(hostedStore)).toBe('');
    expect(await assignSiteCode(desktopStore, DESKTOP, 'B')).toEqual({ site_id: DESKTOP, code: 'B' });
    await expect(assignSiteCode(hostedStore, 'site-desktop-c', 'B')).rejects.toMatchObject({ code: 'SITE_CODE_TAKEN', status: 409 });
    await expect(assignSiteCode(hostedStore, 'site-desktop-c', '')).rejects.toBeInstanceOf(ConflictError);
    for (const bad of ['O', 'b', 'ABC', 'B/1', 42 as unknown as string]) {
      await expect(assignSiteCode(hostedStore, 'site-desktop-c', bad)).rejects.toMatchObject({ code: 'SITE_CODE_INVALID', status: 400 });
    }
    await expect(assignSiteCode(hostedStore, '', 'C')).rejects.toBeInstanceOf(ValidationError);
    expect(Number((await hosted.db.knex('site_codes').where({ site_id: 'site-desktop-c' }).count({ n: '*' }))[0].n)).toBe(0);
  });

  it('100 payments and 100 invoices minted at once on each site merge without a duplicate or a gap', async () => {
    await Promise.all([mintConcurrently(desktopStore, 'desktop'), mintConcurrently(hostedStore, 'hosted')]);
    for (const store of [desktopStore, hostedStore]) {
      const ids = (await store.query('payments').pluck('id')) as string[];
      for (const id of ids) await ensureReceipt(store, id);
    }
    const fromDesktop = await numbersOf(desktop.db.knex);
    const fromHosted = await numbersOf(hosted.db.knex);
    expect(fromDesktop.payments.every((n) => parsePaymentNumber(n)?.site === 'B')).toBe(true);
    expect(fromDesktop.invoices.every((n) => parseInvoiceNumber(n)?.site === 'B')).toBe(true);
    expect(fromHosted.payments.every((n) => parsePaymentNumber(n)?.site === '')).toBe(true);
    expect(fromHosted.invoices.every((n) => parseInvoiceNumber(n)?.site === '')).toBe(true);

    const invoices = [...fromDesktop.invoices, ...fromHosted.invoices];
    const payments = [...fromDesktop.payments, ...fromHosted.payments];
    const receipts = [...fromDesktop.receipts, ...fromHosted.receipts];
    expect([invoices.length, payments.length, receipts.length]).toEqual([200, 200, 200]);
    for (const list of [invoices, payments, receipts]) expect(new Set(list).size).toBe(list.length);
    expect(invoices.filter((n) => !INVOICE_FORMAT.test(n))).toEqual([]);
    expect(payments.filter((n) => !PAYMENT_FORMAT.test(n))).toEqual([]);
    expect(receipts.filter((n) => !RECEIPT_FORMAT.test(n))).toEqual([]);

    // Every counter of every site runs 1, 2, 3, … without a hole (a day boundary during the run makes two counters).
    const counters = countersOf([...invoices, ...payments]);
    expect([...counters.keys()].some((name) => name.startsWith('invoice:B:'))).toBe(true);
    for (const [name, seqs] of counters) expect(seqs, name).toEqual(seqs.map((_, i) => i + 1));

    // The union sync will make: the hosted database's unique indexes take every row the desktop minted.
    expect(await copyRows(desktop.db.knex, hosted.db.knex, 'invoices')).toBe(100);
    expect(await copyRows(desktop.db.knex, hosted.db.knex, 'payments')).toBe(100);
    expect(await copyRows(desktop.db.knex, hosted.db.knex, 'receipts')).toBe(100);
    expect(Number((await hosted.db.knex('payments').where({ estate_id: ESTATE_ID }).count({ n: '*' }))[0].n)).toBe(200);
  });

  it('a desktop restored from an old backup resumes past the numbers the hosted instance holds, and mints none twice', async () => {
    const pay = (note: string) =>
      recordPayment(desktopStore, { unit_id: UNIT_IDS[0], amount: 50_000, method: 'cash', paid_at: nowIso(), notes: note });
    const backupFile = path.join(desktop.dataDir, 'backups', 'before.sqlite');
    await backupDatabase(desktop.dataDir, backupFile);
    const afterBackup = [];
    for (let i = 0; i < 6; i++) afterBackup.push((await pay(`after backup ${i}`)).payment_number);
    await copyRows(desktop.db.knex, hosted.db.knex, 'payments');

    // The office PC dies; the treasurer restores last week's backup. The desktop has forgotten six numbers it minted.
    await desktop.db.close();
    await restoreDatabase(desktop.dataDir, backupFile);
    desktopStore = await siteStore(desktop.reopen().knex, DESKTOP);
    const forgotten = (await desktopStore.query('payments').whereIn('number', afterBackup).count({ n: '*' }))[0].n;
    expect(Number(forgotten)).toBe(0);

    const held = (await hosted.db.knex('payments').where({ estate_id: ESTATE_ID }).pluck('number')) as string[];
    expect(await resumeNumberingPast(desktopStore, held)).toBeGreaterThan(0);
    expect(await resumeNumberingPast(desktopStore, held)).toBe(0); // a second handshake moves nothing

    const next = (await pay('after restore')).payment_number;
    expect(held).not.toContain(next);
    const last = parsePaymentNumber(afterBackup[afterBackup.length - 1])!;
    expect(parsePaymentNumber(next)).toEqual({ site: 'B', localDate: last.localDate, seq: last.seq + 1 });
    expect(await copyRows(desktopStore.knex, hosted.db.knex, 'payments', { number: next })).toBe(1);
  });
});
