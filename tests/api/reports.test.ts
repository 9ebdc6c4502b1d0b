import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * Reports read from a real ledger built through the API: units, fee types, two billing runs, cash and transfer
 * payments (one reversed), cash-book spending. Every expected figure below follows from those calls by hand.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;
const units: Record<string, string> = {};
let reversalPeriod: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-reports-'));
const e = (p: string) => `/estates/${estateId}${p}`;
// Filler units make the arrears grid run over several PDF pages.
const FILLER = 80;

async function ok<T = any>(res: Promise<{ status: number; body: T; text: string }>, status = 201): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 300)}`);
  return r.body;
}

async function download(p: string): Promise<{ status: number; type: string; disposition: string; body: Buffer }> {
  const res = await fetch(`${server.url}/api/v1${p}`, { headers: { cookie: admin.cookie! } });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition') ?? '',
    body: Buffer.from(await res.arrayBuffer()),
  };
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  for (const code of ['A-1', 'A-2', 'A-12']) units[code] = (await ok(admin.post(e('/units'), { code, block: 'A' }))).id;
  await ok(admin.post(e('/residents'), { name: 'Budi Santoso', unit_id: units['A-12'], relation: 'owner', phone: '08112345678' }));
  for (let i = 1; i <= FILLER; i++) await ok(admin.post(e('/units'), { code: `B-${i}`, block: 'B', occupancy: 'vacant' }));

  await ok(
    admin.post(e('/cashbook/accounts'), { name: 'Kas Bendahara', kind: 'cash', opening_balance: 1_000_000, opening_date: '2026-10-01' }),
  );
  await ok(admin.post(e('/cashbook/accounts'), { name: 'BRI Paguyuban', kind: 'bank' }));
  // Vacant units are exempt, so only are billed: 150,000 a month each.
  await ok(
    admin.post(e('/fee-types'), {
      code: 'IPL',
      name: 'Iuran Pengelolaan Lingkungan',
      amount: 100_000,
      basis: 'flat',
      vacant_rule: 'exempt',
      effective_from: '2026-01',
    }),
  );
  await ok(
    admin.post(e('/fee-types'), {
      code: 'KEAMANAN',
      name: 'Keamanan',
      amount: 50_000,
      basis: 'flat',
      vacant_rule: 'exempt',
      effective_from: '2026-01',
    }),
  );
  for (const period of ['2026-10', '2026-11']) await ok(admin.post(e('/billing-runs'), { period, due_date: `${period}-10` }));

  await ok(admin.post(e('/payments'), { unit_id: units['A-1'], amount: 300_000, method: 'cash', paid_at: '2026-11-05T03:00:00Z' }));
  await ok(
    admin.post(e('/payments'), {
      unit_id: units['A-2'],
      amount: 100_000,
      method: 'bank_transfer',
      paid_at: '2026-11-10T03:00:00Z',
      reference: 'BRI-7781',
    }),
  );
  const wrong = await ok(
    admin.post(e('/payments'), { unit_id: units['A-12'], amount: 150_000, method: 'cash', paid_at: '2026-11-12T03:00:00Z' }),
  );
  const reversed = await admin.post(e(`/payments/${wrong.id}/reverse`), { reason: 'Dicatat untuk unit yang salah' });
  expect([200, 201]).toContain(reversed.status);
  const accounts = (await ok(admin.get(e('/cashbook/accounts')), 200)).items;
  const cash = accounts.find((a: any) => a.kind === 'cash');
  await ok(
    admin.post(e('/cashbook/entries'), {
      account_id: cash.id,
      direction: 'out',
      amount: 250_000,
      category: 'guard_salary',
      entry_date: '2026-11-25',
      description: 'Gaji satpam November',
    }),
  );
  const reversal = await ok(admin.get(e('/cashbook/entries?category=reversal')), 200);
  reversalPeriod = reversal.items[0].entry_date.slice(0, 7);
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('arrears report', () => {
  it('shows per month what the units that owe still owe, with owner and phone, and lists them', async () => {
    const r = await ok(admin.get(e('/reports/arrears?year=2026')), 200);
    expect(r.periods).toHaveLength(12);
    const row = (code: string) => r.grid.find((g: any) => g.code === code);
    // A-1 paid everything and the vacant B units were never billed: only the units that owe are listed.
    expect(r.grid.map((g: any) => g.code)).toEqual(['A-2', 'A-12']);
    expect(row('A-2').outstanding.slice(9, 12)).toEqual([50_000, 150_000, null]);
    expect(row('A-12')).toMatchObject({ resident: 'Budi Santoso', phone: '+628112345678', total_outstanding: 300_000 });
    expect(r.list.map((l: any) => [l.code, l.resident, l.months_owed, l.total_outstanding])).toEqual([
      ['A-12', 'Budi Santoso', 2, 300_000],
      ['A-2', null, 2, 200_000],
    ]);
    expect(r.totals).toMatchObject({ total_outstanding: 500_000, units_in_arrears: 2 });
    // Not billed yet (December) and never billed (January) are not "paid".
    expect(r.totals.outstanding[0]).toBeNull();
    expect(r.totals.outstanding[11]).toBeNull();
    expect(r.totals.outstanding[10]).toBe(300_000);

    const byAmount = await ok(admin.get(e('/reports/arrears?year=2026&sort=amount')), 200);
    expect(byAmount.grid.map((g: any) => g.code)).toEqual(['A-12', 'A-2']);
    expect(byAmount.sort).toBe('amount');
  });

  it('exports an .xlsx with real numbers, blank unbilled months, owner and phone, sorted as asked', async () => {
    const file = await download(e('/reports/arrears?year=2026&format=xlsx&sort=amount'));
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    expect(file.disposition).toContain('tunggakan-2026.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Per bulan', 'Daftar penunggak']);
    const grid = wb.getWorksheet('Per bulan')!;
    expect(grid.getCell('A1').value).toBe('Perumahan Griya Asri');
    expect(grid.getRow(5).values).toEqual([
      ,
      'Unit',
      'Pemilik',
      'Telepon',
      'Jan',
      'Feb',
      'Mar',
      'Apr',
      'Mei',
      'Jun',
      'Jul',
      'Agu',
      'Sep',
      'Okt',
      'Nov',
      'Des',
      'Total',
    ]);
    expect(grid.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
    expect(grid.getColumn(1).width).toBe(10);
    const a12 = grid.getRow(6);
    expect([a12.getCell(1).value, a12.getCell(2).value, a12.getCell(3).value]).toEqual(['A-12', 'Budi Santoso', '0811-2345-678']);
    expect(a12.getCell(14).value).toBe(150_000);
    expect(a12.getCell(14).numFmt).toContain('"Rp "#,##0');
    expect(a12.getCell(16).value).toBe(300_000);
    const a2 = grid.getRow(7);
    expect(a2.getCell(1).value).toBe('A-2');
    expect(a2.getCell(13).value).toBe(50_000);
    expect(a2.getCell(4).value).toBeNull(); // January: not billed, an empty cell
    expect(a2.getCell(15).value).toBeNull(); // December: not billed yet
    const total = grid.getRow(8);
    expect(total.getCell(1).value).toBe('Jumlah');
    expect(total.getCell(13).value).toBe(200_000);
    expect(total.getCell(4).value).toBeNull();
    expect(total.getCell(15).value).toBeNull();
    expect(total.getCell(16).value).toBe(500_000);
    const list = wb.getWorksheet('Daftar penunggak')!;
    expect(list.getRow(5).values).toEqual([, 'No', 'Unit', 'Pemilik', 'Telepon', 'Bulan', 'Bulan tertunggak', 'Total tunggakan']);
    expect([list.getRow(6).getCell(2).value, list.getRow(6).getCell(4).value, list.getRow(6).getCell(7).value]).toEqual([
      'A-12',
      '0811-2345-678',
      300_000,
    ]);

    const xlsx = path.join(tmp, 'tunggakan.xlsx');
    fs.writeFileSync(xlsx, file.body);
    execFileSync(
      'libreoffice',
      [`-env:UserInstallation=file://${path.join(tmp, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', tmp, xlsx],
      { stdio: 'pipe', timeout: 120_000 },
    );
    const converted = execFileSync('pdftotext', [path.join(tmp, 'tunggakan.pdf'), '-'], { encoding: 'utf8' });
    expect(converted).toContain('Perumahan Griya Asri');
    expect(converted).toMatch(/Rp 200[.,]000/);
    expect(converted).toContain('0811-2345-678');
    expect(converted).not.toContain('lunas');
  });

  it('exports an A4 PDF with the estate and column header, a page number on every page and blank unbilled months', async () => {
    const file = await download(e('/reports/arrears?year=2026&format=pdf'));
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    const pdf = path.join(tmp, 'arrears.pdf');
    fs.writeFileSync(pdf, file.body);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+(841\.89 x 595\.28|595\.28 x 841\.89)/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const pages = text.split('\f').filter((p) => p.trim());
    expect(pages.length).toBe(2);
    pages.forEach((page, i) => {
      expect(page).toContain('Perumahan Griya Asri');
      expect(page).toContain('Laporan Tunggakan Iuran');
      expect(page).toMatch(/Unit\s+Pemilik\s+Telepon/);
      expect(page).toContain(`Halaman ${i + 1} dari ${pages.length}`);
    });
    expect(pages[0]).toMatch(/A-2\s+50\.000\s+150\.000\s+200\.000/);
    expect(pages[0]).toMatch(/A-12\s+Budi Santoso\s+0811-2345-678\s+150\.000\s+150\.000\s+300\.000/);
    expect(text).not.toContain('lunas');
    expect(text).not.toMatch(/A-1\s/);
  });
});

describe('monthly financial report', () => {
  it('gives opening, receipts and spending by category and closing per account', async () => {
    const r = await ok(admin.get(e('/reports/monthly?period=2026-11')), 200);
    const cash = r.accounts.find((a: any) => a.kind === 'cash');
    const bank = r.accounts.find((a: any) => a.kind === 'bank');
    const reversed = reversalPeriod === '2026-11' ? 150_000 : 0;
    expect(cash.opening).toBe(1_000_000);
    expect(cash.receipts.find((c: any) => c.category === 'iuran').amount).toBe(450_000);
    expect(cash.total_receipts).toBe(450_000 - reversed);
    expect(cash.spending).toEqual([{ category: 'guard_salary', label: 'Gaji satpam', amount: 250_000 }]);
    expect(cash.closing).toBe(1_000_000 + 450_000 - reversed - 250_000);
    expect(bank).toMatchObject({ opening: 0, total_receipts: 100_000, total_spending: 0, closing: 100_000 });
    expect(r.total.closing).toBe(cash.closing + bank.closing);

    const oct = await ok(admin.get(e('/reports/monthly?period=2026-10')), 200);
    expect(oct.accounts.find((a: any) => a.kind === 'cash')).toMatchObject({ opening: 0, total_receipts: 1_000_000, closing: 1_000_000 });
  });

  it('exports .xlsx and PDF', async () => {
    const xlsx = await download(e('/reports/monthly?period=2026-11&format=xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const summary = wb.getWorksheet('Ringkasan')!;
    expect(summary.getRow(5).getCell(2).value).toBe('Saldo awal');
    const cashRow = [6, 7].map((n) => summary.getRow(n)).find((row) => row.getCell(1).value === 'Kas Bendahara')!;
    expect(cashRow.getCell(2).value).toBe(1_000_000);
    expect(cashRow.getCell(2).numFmt).toContain('Rp');

    const pdf = await download(e('/reports/monthly?period=2026-11&format=pdf'));
    const file = path.join(tmp, 'monthly.pdf');
    fs.writeFileSync(file, pdf.body);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Laporan Keuangan');
    expect(text).toContain('Periode November 2026');
    expect(text).toMatch(/Gaji satpam\s+Rp 250\.000/);
    // The month's transactions, categories in words, and the signature lines at the end.
    expect(text).toMatch(/25 Nov 2026\s+Kas Bendahara\s+Gaji satpam\s+Gaji satpam November\s+Rp 250\.000/);
    expect(text).not.toContain('guard_salary');
    const lastPage = text
      .split('\f')
      .filter((p) => p.trim())
      .at(-1)!;
    expect(lastPage).toMatch(/Mengetahui,/);
    expect(lastPage).toMatch(/Ketua RT\s+Bendahara/);
    expect(lastPage).toContain('Nama jelas');
    const sheet = wb.getWorksheet('Transaksi')!;
    expect(sheet.getRow(5).values).toEqual([, 'Tanggal', 'Akun', 'Kategori', 'Uraian', 'Masuk', 'Keluar']);
  });

  it('ends the .xlsx with the same signature lines as its PDF, on the last sheet after the transactions', async () => {
    const file = await download(e('/reports/monthly?period=2026-11&format=xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    const texts = (name: string) => {
      const out: string[] = [];
      wb.getWorksheet(name)!.eachRow((row) => {
        out.push(
          (row.values as unknown[])
            .filter((v) => v != null && v !== '')
            .map(String)
            .join(' | '),
        );
      });
      return out;
    };
    const rows = texts('Transaksi');
    const at = rows.findIndex((r) => r === 'Mengetahui,');
    expect(at, rows.join('\n')).toBeGreaterThan(5);
    expect(rows.slice(at)).toEqual([
      'Mengetahui,',
      'Ketua RT | Bendahara',
      '(______________________) | (______________________)',
      'Nama jelas | Nama jelas',
    ]);
    expect(rows[at - 1]).toMatch(/^Jumlah \| /);
    for (const other of ['Ringkasan', 'Rincian']) expect(texts(other).join('\n')).not.toContain('Mengetahui');

    // As LibreOffice prints it: the signature lines close the last page.
    const xlsx = path.join(tmp, 'laporan.xlsx');
    fs.writeFileSync(xlsx, file.body);
    execFileSync(
      'libreoffice',
      [`-env:UserInstallation=file://${path.join(tmp, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', tmp, xlsx],
      { stdio: 'pipe', timeout: 120_000 },
    );
    const converted = execFileSync('pdftotext', ['-layout', path.join(tmp, 'laporan.pdf'), '-'], { encoding: 'utf8' });
    const lastPage = converted
      .split('\f')
      .filter((p) => p.trim())
      .at(-1)!;
    expect(lastPage).toMatch(/Mengetahui,/);
    expect(lastPage).toMatch(/Ketua RT\s+Bendahara/);
    expect(lastPage).toMatch(/Nama jelas\s+Nama jelas/);
  });

  it("names an estate's own category as typed in the report and its PDF", async () => {
    const estate = (await ok(admin.post('/estates', { name: 'Perumahan Kategori' }))).id;
    const x = (p: string) => `/estates/${estate}${p}`;
    const kas = (
      await ok(admin.post(x('/cashbook/accounts'), { name: 'Kas', kind: 'cash', opening_balance: 500_000, opening_date: '2026-11-01' }))
    ).id;
    const category = await ok(admin.post(x('/cashbook/categories'), { name: 'Lomba 17-an', direction: 'out' }));
    await ok(
      admin.post(x('/cashbook/entries'), {
        account_id: kas,
        direction: 'out',
        amount: 120_000,
        category: category.code,
        entry_date: '2026-11-17',
        description: 'Hadiah lomba anak',
      }),
    );
    const r = await ok(admin.get(x('/reports/monthly?period=2026-11')), 200);
    expect(r.total.spending).toEqual([{ category: 'lomba_17_an', label: 'Lomba 17-an', amount: 120_000 }]);
    expect(r.transactions.map((t: any) => [t.entry_date, t.label, t.description])).toEqual([
      ['2026-11-01', 'Saldo awal', 'Saldo awal Kas'],
      ['2026-11-17', 'Lomba 17-an', 'Hadiah lomba anak'],
    ]);
    const pdf = await download(x('/reports/monthly?period=2026-11&format=pdf'));
    const file = path.join(tmp, 'monthly-own.pdf');
    fs.writeFileSync(file, pdf.body);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/Lomba 17-an\s+Hadiah lomba anak\s+Rp 120\.000/);
    expect(text).not.toContain('lomba_17_an');
    expect(text).toContain('Mengetahui,');
  });
});

describe('collection rate and payment history', () => {
  it('counts per month what was billed and what of it was collected', async () => {
    const r = await ok(admin.get(e('/reports/collection?year=2026')), 200);
    const month = (p: string) => r.months.find((m: any) => m.period === p);
    expect(month('2026-10')).toMatchObject({ invoices: 3, billed: 450_000, collected: 250_000, outstanding: 200_000, rate: 0.5556 });
    expect(month('2026-11')).toMatchObject({ invoices: 3, billed: 450_000, collected: 150_000, rate: 0.3333 });
    expect(month('2026-01')).toMatchObject({ billed: 0, rate: null });
    const pdf = await download(e('/reports/collection?year=2026&format=pdf'));
    expect(pdf.status).toBe(200);
  });

  it("lists a unit's payments, the reversed one marked, with credit and outstanding", async () => {
    const r = await ok(admin.get(e(`/reports/payment-history?unit_id=${units['A-12']}`)), 200);
    expect(r.unit.code).toBe('A-12');
    expect(r.payments).toHaveLength(1);
    expect(r.payments[0].reversed.reason).toBe('Dicatat untuk unit yang salah');
    expect(r.total_paid).toBe(0);
    expect(r.outstanding).toBe(300_000);
    const a1 = await ok(admin.get(e(`/reports/payment-history?unit_id=${units['A-1']}&format=json`)), 200);
    expect(a1.payments[0].allocations.map((a: any) => a.period)).toEqual(['2026-10', '2026-11']);
    expect(a1.total_paid).toBe(300_000);
    const xlsx = await download(e(`/reports/payment-history?unit_id=${units['A-1']}&format=xlsx`));
    expect(xlsx.status).toBe(200);
  });
});

describe('dashboard', () => {
  it('shows outstanding, cash per account, top arrears and a 12-month series', async () => {
    const d = await ok(admin.get(e('/dashboard')), 200);
    expect(d.outstanding_total).toBe(500_000);
    expect(d.units_in_arrears).toBe(2);
    expect(d.top_arrears.map((u: any) => [u.code, u.outstanding])).toEqual([
      ['A-12', 300_000],
      ['A-2', 200_000],
    ]);
    expect(d.cash_total).toBe(1_000_000 + 300_000 + 150_000 - 150_000 - 250_000 + 100_000);
    expect(d.accounts.map((a: any) => a.balance).sort()).toEqual([100_000, 1_050_000].sort());
    expect(d.series).toHaveLength(12);
    expect(d.series.at(-1).period).toBe(d.period);
    const nov = d.series.find((m: any) => m.period === '2026-11');
    if (nov) expect(nov).toMatchObject({ billed: 450_000, collected: 150_000 });
    expect(d.series.every((m: any) => Number.isInteger(m.income) && Number.isInteger(m.spending))).toBe(true);
    expect(d.setup.invoices).toBeGreaterThan(0);
  });

  it("counts a new estate's units, fee types and invoices for its first steps", async () => {
    const fresh = (await ok(admin.post('/estates', { name: 'Perumahan Baru' }))).id;
    const before = await ok(admin.get(`/estates/${fresh}/dashboard`), 200);
    expect(before.setup).toEqual({ units: 0, fee_types: 0, invoices: 0 });
    expect(before.series.at(-1)).toMatchObject({ income: 0, spending: 0 });
    await ok(admin.post(`/estates/${fresh}/units`, { code: 'B-1' }));
    expect((await ok(admin.get(`/estates/${fresh}/dashboard`), 200)).setup).toEqual({ units: 1, fee_types: 0, invoices: 0 });
  });
});

describe('bad input and access', () => {
  it('answers malformed queries with 400 and a stable code', async () => {
    for (const q of [
      '/reports/monthly?period=2026-13',
      '/reports/monthly',
      '/reports/arrears?year=abc',
      '/reports/arrears?year=1999',
      '/reports/arrears?year=2026&format=docx',
      '/reports/arrears?year=2026&sort=resident',
      '/reports/payment-history?unit_id=nope',
    ]) {
      const r = await admin.get(e(q));
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it("answers 404 for another estate's unit and 403 for a guard", async () => {
    const estateB = (await ok(admin.post('/estates', { name: 'Perumahan Lain' }))).id;
    const unitB = (await ok(admin.post(`/estates/${estateB}/units`, { code: 'C-1' }))).id;
    expect((await admin.get(`/estates/${estateB}/reports/payment-history?unit_id=${unitB}`)).status).toBe(200);
    const r = await admin.get(e(`/reports/payment-history?unit_id=${unitB}`));
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    const guard = await userWithRole(server.url, admin, estateId, 'guard');
    expect((await guard.client.get(e('/reports/arrears?year=2026'))).status).toBe(403);
    expect((await guard.client.get(e('/dashboard'))).status).toBe(403);
    const staff = await userWithRole(server.url, admin, estateId, 'staff');
    expect((await staff.client.get(e('/reports/arrears?year=2026'))).status).toBe(200);
  });
});
