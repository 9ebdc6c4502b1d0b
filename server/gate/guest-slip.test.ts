import { describe, expect, it } from 'vitest';
import { guestSlipLayout } from './guest-slip.ts';

describe('guestSlipLayout', () => {
  const slip = {
    estateName: 'Perumahan Griya Asri',
    guestName: 'Siti Aminah',
    unitCode: 'B-07',
    enteredAt: '2026-11-21T03:15:00.000Z',
    timezone: 'Asia/Jakarta',
    gateName: 'Gerbang Utama',
    guardName: 'Pak Joko',
    people: 2,
    plate: 'B 1234 XY',
    purpose: 'Arisan',
    idCardLeft: true,
    checkoutPayload: 'KL1.abc',
  };

  it('names estate, guest, unit and local time in, and ends with the check-out QR and a cut', () => {
    const layout = guestSlipLayout(slip);
    const texts = layout.blocks.map((b) => (b.kind === 'pair' ? `${b.left}: ${b.right}` : b.kind === 'text' ? b.text : b.kind));
    expect(texts[0]).toBe('Perumahan Griya Asri');
    expect(texts).toContain('Tamu: Siti Aminah');
    expect(texts).toContain('Unit: B-07');
    expect(texts.find((t) => t.startsWith('Masuk'))).toContain('10.15');
    expect(texts).toContain('KTP dititipkan di pos jaga');
    const qr = layout.blocks.find((b) => b.kind === 'qr');
    expect(qr).toEqual({ kind: 'qr', data: 'KL1.abc', caption: 'Pindai saat keluar' });
    expect(layout.cut).toBe(true);
  });

  it('leaves out what the guest did not give', () => {
    const layout = guestSlipLayout({ ...slip, plate: null, purpose: null, idCardLeft: false });
    const lefts = layout.blocks.flatMap((b) => (b.kind === 'pair' ? [b.left] : []));
    expect(lefts).not.toContain('No. polisi');
    expect(lefts).not.toContain('Keperluan');
  });
});
