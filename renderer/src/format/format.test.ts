import { afterEach, describe, expect, it } from 'vitest';
import { formatNumber, formatRate, formatRupiah, setMoneyLanguage } from './rupiah.ts';
import { formatDate, formatDateTime, formatDay, formatPaidAt, formatPeriod, formatPeriodShort } from './date.ts';

describe('formatRupiah', () => {
  afterEach(() => setMoneyLanguage('id'));

  it('writes integer rupiah the Indonesian way', () => {
    expect(formatRupiah(150000).replace(/\s/g, ' ')).toBe('Rp 150.000');
    expect(formatRupiah(0).replace(/\s/g, ' ')).toBe('Rp 0');
    expect(formatRupiah(-1_250_000)).toBe('-Rp\u00a01.250.000');
  });

  it('groups with commas in English, keeping the Rp symbol in front and the Indonesian way unchanged', () => {
    setMoneyLanguage('en');
    expect(formatRupiah(1_250_000)).toBe('Rp\u00a01,250,000');
    expect(formatRupiah(-20_000)).toBe('-Rp\u00a020,000');
    expect(formatRupiah(0)).toBe('Rp\u00a00');
    expect(formatNumber(10_000)).toBe('10,000');
    expect(formatRate(0.855)).toBe('85.5%');
    expect(formatRupiah(1_250_000, 'id')).toBe('Rp\u00a01.250.000');
    setMoneyLanguage('id-ID');
    expect(formatRupiah(1_250_000)).toBe('Rp\u00a01.250.000');
    expect(formatNumber(10_000)).toBe('10.000');
    expect(formatRate(0.855).replace(/\s/g, '')).toBe('85,5%');
  });
});

describe('dates', () => {
  it('shows a UTC instant in the estate time zone', () => {
    // 17:30 UTC is already the next day in Jakarta (UTC+7).
    expect(formatDateTime('2026-01-31T17:30:00Z', 'id-ID', 'Asia/Jakarta')).toMatch(/1 Feb 2026/);
  });

  it('shows a date-only value without shifting it', () => {
    expect(formatDay('2026-03-01', 'id-ID')).toMatch(/1 Mar 2026/);
  });
});

describe('periods and days in words', () => {
  it('names the month of a period in either language', () => {
    expect(formatPeriod('2026-11', 'id')).toBe('November 2026');
    expect(formatPeriod('2026-11', 'en-GB')).toBe('November 2026');
    expect(formatPeriod('2026-08', 'id-ID')).toBe('Agustus 2026');
    expect(formatPeriod('2026-08', 'en')).toBe('August 2026');
    expect(formatPeriod('2027-01', 'id')).toBe('Januari 2027');
    expect(formatPeriodShort('2026-10', 'id')).toBe('Okt');
    expect(formatPeriodShort('2026-10', 'en')).toBe('Oct');
  });

  it('leaves a value that is not a period as it is', () => {
    expect(formatPeriod('2026-13', 'id')).toBe('2026-13');
    expect(formatPeriod('', 'en')).toBe('');
  });

  it('writes a day as "30 Nov 2026", never mm/dd, with the same short months on every ICU', () => {
    expect(formatDay('2026-11-30', 'id-ID')).toBe('30 Nov 2026');
    expect(formatDay('2026-11-30', 'en-GB')).toBe('30 Nov 2026');
    expect(formatDay('2026-08-05', 'id')).toBe('5 Agu 2026');
    expect(formatDay('2026-09-05', 'en')).toBe('5 Sep 2026');
    expect(formatDay('2026-12-01', 'id')).toBe('1 Des 2026');
  });

  it("takes an instant's day from the estate's zone across the year boundary", () => {
    // 31 Dec 17:30 UTC is already New Year's Day in Jakarta (UTC+7) but still 31 Dec in UTC-based browsers.
    expect(formatDate('2026-12-31T17:30:00Z', 'id', 'Asia/Jakarta')).toBe('1 Jan 2027');
    expect(formatDate('2026-12-31T16:30:00Z', 'en', 'Asia/Jakarta')).toBe('31 Dec 2026');
    // Jayapura (UTC+9) turns the year two hours before Jakarta.
    expect(formatDate('2026-12-31T15:30:00Z', 'en', 'Asia/Jayapura')).toBe('1 Jan 2027');
    expect(formatDate('2026-12-31', 'en', 'Asia/Jayapura')).toBe('31 Dec 2026');
    expect(formatDateTime('2026-12-31T17:30:00Z', 'id-ID', 'Asia/Jakarta')).toBe('1 Jan 2027 00.30');
    expect(formatDateTime('2026-12-31T17:30:00Z', 'en-GB', 'Asia/Makassar')).toBe('1 Jan 2027 01:30');
  });
});

describe('formatPaidAt', () => {
  it('shows a payment entered by date as its day only, and a recorded time with its hour', () => {
    // Noon of the day (office and portal forms), the start of the day (API) and midnight UTC (older forms).
    expect(formatPaidAt('2026-11-21T05:00:00.000Z', 'id-ID', 'Asia/Jakarta')).toBe('21 Nov 2026');
    expect(formatPaidAt('2026-11-20T17:00:00.000Z', 'en', 'Asia/Jakarta')).toBe('21 Nov 2026');
    expect(formatPaidAt('2026-11-21T00:00:00.000Z', 'id-ID', 'Asia/Jakarta')).toBe('21 Nov 2026');
    expect(formatPaidAt('2026-11-21T03:00:00.000Z', 'id-ID', 'Asia/Jayapura')).toBe('21 Nov 2026');
    expect(formatPaidAt('2026-11-21T07:05:00.000Z', 'id-ID', 'Asia/Jakarta')).toBe('21 Nov 2026 14.05');
    expect(formatPaidAt('2026-11-21T07:05:00.000Z', 'en', 'Asia/Jakarta')).toBe('21 Nov 2026 14:05');
  });
});
