import { describe, expect, it } from 'vitest';
import { generatePassCode, looksLikePassCode } from './pass-codes.ts';
import { guestInvitationText, guestPassLink, whatsappLink, whatsappNumber } from './whatsapp-link.ts';

describe('pass codes', () => {
  it('are 6 digits for temporary access and 8 for other passes, never with a leading zero', () => {
    for (let i = 0; i < 200; i++) {
      expect(generatePassCode('temporary')).toMatch(/^[1-9][0-9]{5}$/);
      expect(generatePassCode('guest')).toMatch(/^[1-9][0-9]{7}$/);
    }
    expect(looksLikePassCode('123456')).toBe(true);
    expect(looksLikePassCode('12345678')).toBe(true);
    expect(looksLikePassCode('1234567')).toBe(false);
    expect(looksLikePassCode('12345a')).toBe(false);
  });
});

describe('WhatsApp link', () => {
  it('normalises Indonesian numbers', () => {
    expect(whatsappNumber('+62 812-3456-7890')).toBe('6281234567890');
    expect(whatsappNumber('0812 3456 7890')).toBe('6281234567890');
    expect(whatsappNumber(null)).toBe('');
  });
  it('fills the text with the code, the QR link and the window in the estate time zone', () => {
    const text = guestInvitationText({
      estateName: 'Griya Asri',
      guestName: 'Budi',
      unitCode: 'A-12',
      code: '48213377',
      validFrom: '2026-11-21T01:00:00.000Z',
      validUntil: '2026-11-21T10:00:00.000Z',
      timezone: 'Asia/Jakarta',
      passLink: guestPassLink('http://192.168.1.10:4780/', 'KL1.abc'),
    });
    expect(text).toContain('48213377');
    // The QR code the message mentions is one tap away, at the address phones open.
    expect(text).toContain('http://192.168.1.10:4780/api/v1/guest-passes/KL1.abc');
    expect(text).toContain('A-12');
    expect(text).toContain('08.00');
    const link = whatsappLink('+6281234567890', text);
    expect(link.startsWith('https://wa.me/6281234567890?text=')).toBe(true);
    expect(decodeURIComponent(link.split('text=')[1])).toBe(text);
  });
});
