import { describe, expect, it } from 'vitest';
import { whatsappNumber, waMeLink } from './phone.ts';
import { nextSendingSlot, quietUntil, type SendingRules } from './sending-window.ts';
import {
  BASE_URL_MARK,
  DEFAULT_TEMPLATES,
  fillTemplate,
  renderMessage,
  TEMPLATE_KEYS,
  unknownVariables,
  withBaseUrl,
} from './templates.ts';

const VARS = {
  nama: 'Budi',
  unit: 'A-1',
  jumlah: 'Rp 150.000',
  periode: 'November 2026',
  jatuh_tempo: '20 November 2026',
  link_bayar: `${BASE_URL_MARK}/portal/bills`,
  link_kuitansi: `${BASE_URL_MARK}/k/1`,
  alasan: 'buram',
  tamu: 'Andi',
  judul: 'Rapat',
  isi: 'Rapat warga',
};

describe('templates', () => {
  it('every default template fills every variable it names', () => {
    for (const key of TEMPLATE_KEYS) {
      const { subject, body } = DEFAULT_TEMPLATES[key];
      expect(unknownVariables(subject + body), key).toEqual([]);
      const r = renderMessage(DEFAULT_TEMPLATES[key], VARS);
      expect(r.text, key).not.toMatch(/\{[a-z_]+\}/);
      expect(r.subject, key).not.toMatch(/\{[a-z_]+\}/);
    }
  });

  it('fills in one pass, escapes values in HTML, and a value cannot forge the base-URL mark', () => {
    expect(fillTemplate('{nama} {unit}', { nama: '{unit}', unit: 'A' })).toBe('{unit} A');
    const r = renderMessage(
      { subject: 'S {nama}', body: 'Halo {nama}\n{link_bayar}' },
      { nama: `<img src=x onerror=alert(1)>${BASE_URL_MARK}`, link_bayar: `${BASE_URL_MARK}/p` },
    );
    expect(r.html).not.toContain('<img');
    expect(r.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(withBaseUrl(r.text, 'https://griya.id')).toBe('Halo <img src=x onerror=alert(1)>BASE\nhttps://griya.id/p');
    expect(r.html).toContain('<a href="\u001fBASE\u001f/p">');
  });
});

describe('phone numbers', () => {
  it('writes Indonesian numbers as WhatsApp wants them', () => {
    expect(whatsappNumber('0812-3456-7890')).toBe('6281234567890');
    expect(whatsappNumber('+62 812 3456 7890')).toBe('6281234567890');
    expect(whatsappNumber('812345678')).toBe('62812345678');
    expect(whatsappNumber('12')).toBeNull();
    expect(waMeLink('62812', 'a b&c')).toBe('https://wa.me/62812?text=a%20b%26c');
  });
});

describe('sending window', () => {
  const rules: SendingRules = { quiet_from: '21:00', quiet_to: '07:00', per_minute: 2, per_day: 5, min_gap_s: 3, max_gap_s: 10 };
  const jakarta = (hhmm: string) => new Date(`2026-11-30T${hhmm}:00+07:00`);
  const tomorrow = new Date('2026-11-30T17:00:00Z');
  const none = { lastMinute: 0, today: 0, lastSentAt: null };

  it('waits out quiet hours that span midnight, in the estate zone', () => {
    expect(quietUntil(jakarta('22:30'), 'Asia/Jakarta', rules)?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(quietUntil(jakarta('06:59'), 'Asia/Jakarta', rules)?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(quietUntil(jakarta('07:00'), 'Asia/Jakarta', rules)).toBeNull();
    expect(quietUntil(jakarta('12:00'), 'Asia/Jayapura', rules)).toBeNull();
    expect(quietUntil(jakarta('19:30'), 'Asia/Jayapura', rules)).not.toBeNull();
  });

  it('holds to the per-minute and per-day limits with random spacing', () => {
    const noon = jakarta('12:00');
    expect(nextSendingSlot(noon, 'Asia/Jakarta', rules, none, 0.5, tomorrow)).toBeNull();
    const minute = nextSendingSlot(noon, 'Asia/Jakarta', rules, { ...none, lastMinute: 2 }, 0.5, tomorrow)!;
    expect(minute.getTime() - noon.getTime()).toBe(60_000 + 6_500);
    expect(nextSendingSlot(noon, 'Asia/Jakarta', rules, { ...none, today: 5 }, 0, tomorrow)).toEqual(tomorrow);
    const gap = nextSendingSlot(noon, 'Asia/Jakarta', rules, { ...none, lastSentAt: new Date(noon.getTime() - 1000) }, 0, tomorrow)!;
    expect(gap.getTime()).toBe(noon.getTime() - 1000 + 3000);
  });
});
