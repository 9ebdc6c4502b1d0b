import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos, startEscPosListener, type EscPosListener } from '../../tests/support/escpos-listener.ts';
import { readQrFromRaster } from '../../tests/support/raster-qr.ts';
import { printDocument } from './print-document.ts';
import { printerConfigSchema } from './printer-config.ts';
import type { PrintLayout } from './print-layout.ts';

const layout: PrintLayout = {
  blocks: [
    { kind: 'text', text: 'Perumahan Griya Asri Blok Melati Sejahtera', align: 'center', bold: true, size: 'large' },
    { kind: 'rule' },
    { kind: 'pair', left: 'Unit', right: 'A-12' },
    { kind: 'pair', left: 'Iuran keamanan dan kebersihan November 2026', right: 'Rp 150.000' },
    { kind: 'qr', data: 'http://127.0.0.1:8080/api/v1/receipts/verify/abc123', caption: 'Pindai untuk memeriksa' },
    { kind: 'text', text: 'Terima kasih' },
  ],
};

let listener: EscPosListener;
beforeAll(async () => {
  listener = await startEscPosListener();
});
afterAll(async () => {
  await listener.close();
});

describe('printDocument', () => {
  for (const [paper, columns] of [
    [58, 32],
    [80, 48],
  ] as const) {
    it(`prints to a network printer at ${paper} mm within ${columns} columns with the QR as a raster image`, async () => {
      const config = printerConfigSchema.parse({ connection: 'network', host: '127.0.0.1', port: listener.port, paper_width: paper });
      const result = await printDocument(config, layout);
      const job = await listener.nextJob();
      expect(job.length).toBe(result.bytes);
      const decoded = decodeEscPos(job);
      for (const line of decoded.lines) expect(line.length).toBeLessThanOrEqual(columns);
      expect(decoded.lines.some((l) => /^Unit +A-12$/.test(l) && l.length === columns)).toBe(true);
      expect(decoded.lines.some((l) => l.endsWith('Rp 150.000'))).toBe(true);
      expect(decoded.images).toHaveLength(1);
      expect(decoded.nativeQrCommands).toBe(0);
      expect(decoded.images[0].width).toBeLessThanOrEqual(paper === 58 ? 384 : 576);
      expect(readQrFromRaster(decoded.images[0])).toBe('http://127.0.0.1:8080/api/v1/receipts/verify/abc123');
      expect(decoded.cuts).toBe(1);
    });
  }

  it('writes to a character device without creating anything', async () => {
    const config = printerConfigSchema.parse({ connection: 'file', device_path: '/dev/null' });
    const { bytes } = await printDocument(config, { blocks: [{ kind: 'text', text: 'Slip tamu 001' }] });
    expect(bytes).toBeGreaterThan(0);
  });

  it('finishes a job on a printer that keeps the connection open', async () => {
    const chunks: Buffer[] = [];
    const sockets: net.Socket[] = [];
    const holder = net.createServer((s) => {
      sockets.push(s);
      s.on('data', (c) => chunks.push(c));
    });
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (holder.address() as net.AddressInfo).port;
      const config = printerConfigSchema.parse({ connection: 'network', host: '127.0.0.1', port, timeout_ms: 500 });
      const { bytes } = await printDocument(config, { blocks: [{ kind: 'text', text: 'Slip tamu 003' }] });
      expect(Buffer.concat(chunks).length).toBe(bytes);
      expect(decodeEscPos(Buffer.concat(chunks)).lines).toContain('Slip tamu 003');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => holder.close(r));
    }
  });

  it('reports an unreachable printer as PRINTER_UNAVAILABLE', async () => {
    const closed = await startEscPosListener();
    const port = closed.port;
    await closed.close();
    const config = printerConfigSchema.parse({ connection: 'network', host: '127.0.0.1', port, timeout_ms: 500 });
    await expect(printDocument(config, layout)).rejects.toMatchObject({ code: 'PRINTER_UNAVAILABLE', status: 409 });
  });

  it('reports a USB printer that is not plugged in as PRINTER_UNAVAILABLE', async () => {
    const config = printerConfigSchema.parse({ connection: 'usb', vendor_id: 0xfffe, product_id: 0xfffd });
    await expect(printDocument(config, layout)).rejects.toMatchObject({ code: 'PRINTER_UNAVAILABLE' });
  });

  it('refuses a device path that is an ordinary data file', () => {
    expect(printerConfigSchema.safeParse({ connection: 'file', device_path: '/var/lib/klustera/klustera.sqlite' }).success).toBe(false);
    expect(printerConfigSchema.safeParse({ connection: 'file', device_path: '/var/lib/klustera/struk.prn' }).success).toBe(false);
    expect(printerConfigSchema.safeParse({ connection: 'file', device_path: '/dev/usb/lp0' }).success).toBe(true);
    expect(printerConfigSchema.safeParse({ connection: 'network' }).success).toBe(false);
  });
});
