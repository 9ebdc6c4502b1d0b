import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEscPosListener } from '../../tests/support/escpos-listener.ts';
import { printerConfigSchema } from './printer-config.ts';
import { assertHostAllowed, assertPrinterTargetUsable, isDevicePathShape, isLanAddress, resolvePrinterDevice } from './printer-target.ts';
import { sendToPrinter } from './printer-transport.ts';

// Symlinks under /dev can only be made by root; the test suite runs as root (see tests/setup/README.md).
const cleanup: string[] = [];
afterEach(() => {
  for (const p of cleanup.splice(0)) fs.rmSync(p, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-printer-'));
  cleanup.push(dir);
  return dir;
}

function devSymlink(target: string): string {
  const link = `/dev/klustera-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  fs.symlinkSync(target, link);
  cleanup.push(link);
  return link;
}

describe('printer device paths', () => {
  it('refuses paths that are not device nodes by their shape alone', () => {
    for (const bad of [
      '/dev/../etc/x',
      '/dev/./null',
      'x.prn',
      '/tmp/kasir.prn',
      'dev/usb/lp0',
      '../dev/null',
      '/dev/null\0',
      '/dev//null',
      '\\\\.\\PhysicalDrive0',
      'C:\\struk.prn',
      '',
    ]) {
      expect(isDevicePathShape(bad), JSON.stringify(bad)).toBe(false);
      expect(printerConfigSchema.safeParse({ connection: 'file', device_path: bad }).success, JSON.stringify(bad)).toBe(false);
    }
    for (const good of [
      '/dev/usb/lp0',
      '/dev/ttyUSB0',
      '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0',
      'COM3',
      '\\\\.\\COM12',
      'LPT1',
    ]) {
      expect(isDevicePathShape(good), good).toBe(true);
    }
  });

  it('accepts /dev/null, a real character device, and a symlink under /dev that resolves to it', async () => {
    expect(await resolvePrinterDevice('/dev/null')).toBe('/dev/null');
    expect(await resolvePrinterDevice(devSymlink('/dev/null'))).toBe('/dev/null');
  });

  it('refuses character devices that are not printers, files under /dev, and missing nodes, creating nothing', async () => {
    const missing = `/dev/shm/klustera-test-${process.pid}`;
    for (const bad of ['/dev/zero', '/dev/tty', '/dev/shm', missing, '/dev/usb/lp99']) {
      await expect(resolvePrinterDevice(bad), bad).rejects.toMatchObject({ status: 400, code: 'PRINTER_DEVICE_INVALID' });
    }
    expect(fs.existsSync(missing)).toBe(false);
    // A COM port means nothing on this system.
    await expect(resolvePrinterDevice('COM3', 'linux')).rejects.toMatchObject({ code: 'PRINTER_DEVICE_INVALID' });
  });

  it('refuses a symlink under /dev that points at an ordinary file, and writes nothing to it', async () => {
    const target = path.join(tempDir(), 'klustera.sqlite');
    fs.writeFileSync(target, 'data');
    const link = devSymlink(target);
    const config = printerConfigSchema.parse({ connection: 'file', device_path: link });
    await expect(assertPrinterTargetUsable(config)).rejects.toMatchObject({
      status: 400,
      code: 'PRINTER_DEVICE_INVALID',
      field: 'device_path',
    });
    await expect(sendToPrinter(config, Buffer.from('echo pwned\n'))).rejects.toMatchObject({ status: 409, code: 'PRINTER_UNAVAILABLE' });
    expect(fs.readFileSync(target, 'utf8')).toBe('data');
  });

  it('checks the device again when printing: a link repointed after saving is refused', async () => {
    const target = path.join(tempDir(), 'authorized_keys');
    fs.writeFileSync(target, '');
    const link = devSymlink('/dev/null');
    const config = printerConfigSchema.parse({ connection: 'file', device_path: link });
    await assertPrinterTargetUsable(config);
    await sendToPrinter(config, Buffer.from('ok'));
    fs.rmSync(link);
    fs.symlinkSync(target, link);
    await expect(sendToPrinter(config, Buffer.from('ssh-ed25519 AAAA attacker'))).rejects.toMatchObject({ code: 'PRINTER_UNAVAILABLE' });
    expect(fs.readFileSync(target, 'utf8')).toBe('');
    // A node that vanished after saving is not created by printing.
    fs.rmSync(link);
    await expect(sendToPrinter(config, Buffer.from('x'))).rejects.toMatchObject({ code: 'PRINTER_UNAVAILABLE' });
    expect(fs.existsSync(link)).toBe(false);
  });
});

describe('network printer hosts', () => {
  it('allows LAN and loopback addresses, refuses public, link-local and metadata addresses', () => {
    for (const ok of ['192.168.1.50', '10.0.0.7', '172.16.3.4', '127.0.0.1', '::1', 'fd12::5', '::ffff:192.168.1.9'])
      expect(isLanAddress(ok), ok).toBe(true);
    for (const bad of ['8.8.8.8', '169.254.169.254', '172.32.0.1', '100.64.0.1', '::ffff:8.8.8.8', '2001:4860:4860::8888', 'fe80::1']) {
      expect(isLanAddress(bad), bad).toBe(false);
      expect(() => assertHostAllowed(bad), bad).toThrow(expect.objectContaining({ status: 400, code: 'PRINTER_HOST_NOT_ALLOWED' }));
    }
    expect(() => assertHostAllowed('printer-kasir.local')).not.toThrow();
    process.env.KLUSTERA_PRINTER_HOSTS = 'off';
    try {
      expect(() => assertHostAllowed('192.168.1.50')).toThrow(expect.objectContaining({ code: 'PRINTER_HOST_NOT_ALLOWED' }));
    } finally {
      delete process.env.KLUSTERA_PRINTER_HOSTS;
    }
    process.env.KLUSTERA_PRINTER_HOSTS = 'any';
    try {
      expect(() => assertHostAllowed('8.8.8.8')).not.toThrow();
    } finally {
      delete process.env.KLUSTERA_PRINTER_HOSTS;
    }
    for (const bad of ['a b', 'printer;id', '-x.lan', 'x..lan', '1.2.3', 'a'.repeat(64)]) {
      expect(printerConfigSchema.safeParse({ connection: 'network', host: bad }).success, bad).toBe(false);
    }
  });

  it('reports refused, unresolvable and disallowed hosts with the same message (naming only the configured printer) after the same delay', async () => {
    const closed = await startEscPosListener();
    const port = closed.port;
    await closed.close();
    const timeout = 600;
    const attempts = [
      { connection: 'network', host: '127.0.0.1', port, timeout_ms: timeout },
      { connection: 'network', host: 'no-such-printer.invalid', port: 9100, timeout_ms: timeout },
      { connection: 'network', host: '8.8.8.8', port: 53, timeout_ms: timeout },
    ];
    const messages = new Set<string>();
    for (const attempt of attempts) {
      const started = Date.now();
      const err = await sendToPrinter(printerConfigSchema.parse(attempt), Buffer.from('x')).catch((e) => e);
      const elapsed = Date.now() - started;
      expect(err).toMatchObject({ status: 409, code: 'PRINTER_UNAVAILABLE' });
      expect(elapsed, attempt.host).toBeGreaterThanOrEqual(timeout - 20);
      // It names the printer the office configured (host:port, as typed) so the treasurer knows which one to check,
      // but says nothing else: refused, unresolvable and disallowed read alike, so the answer is no port scanner.
      expect(err.message).toContain(`${attempt.host}:${attempt.port}`);
      messages.add(err.message.replace(`${attempt.host}:${attempt.port}`, '<printer>'));
    }
    expect(messages.size).toBe(1);
  });
});
