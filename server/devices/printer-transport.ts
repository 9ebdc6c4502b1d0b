import fs from 'node:fs/promises';
import net from 'node:net';
import { AppError } from '../http/errors.ts';
import type { PrinterConfig } from './printer-config.ts';

/**
 * Sends finished ESC/POS bytes to the device. The printer being off, unplugged or out of reach is a state of the
 * office, not a server fault, so it is reported as 409 PRINTER_UNAVAILABLE and the UI can say "check the printer".
 */
export class PrinterUnavailableError extends AppError {
  constructor(detail: string) {
    super(409, 'PRINTER_UNAVAILABLE', `Printer tidak dapat dihubungi: ${detail}`);
  }
}

export async function sendToPrinter(config: PrinterConfig, bytes: Buffer): Promise<void> {
  switch (config.connection) {
    case 'network':
      return sendOverTcp(config.host!, config.port ?? 9100, bytes, config.timeout_ms ?? 5000);
    case 'file':
      return writeToDeviceFile(config.device_path!, bytes);
    case 'usb':
      return sendOverUsb(config.vendor_id!, config.product_id!, bytes, config.timeout_ms ?? 5000);
  }
}

function sendOverTcp(host: string, port: number, bytes: Buffer, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let settled = false;
    let flushed = false;
    const done = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve();
    };
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new PrinterUnavailableError(`${host}:${port} (${err.message})`));
    };
    // Some printers keep the connection open after a job; once every byte is written, silence is success.
    socket.setTimeout(timeoutMs, () => (flushed ? done() : fail(new Error('timeout'))));
    socket.once('error', fail);
    socket.once('connect', () => socket.end(bytes, () => (flushed = true)));
    socket.once('close', (hadError) => (hadError ? fail(new Error('connection closed with error')) : done()));
  });
}

async function writeToDeviceFile(path: string, bytes: Buffer): Promise<void> {
  try {
    // Append: a character device ignores it, and a .prn print-to-file collects successive jobs.
    await fs.appendFile(path, bytes);
  } catch (err) {
    throw new PrinterUnavailableError(`${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

async function sendOverUsb(vendorId: number, productId: number, bytes: Buffer, timeoutMs: number): Promise<void> {
  // Loaded on demand: the native module is only needed where a USB printer is configured.
  const { findByIds, OutEndpoint } = await import('usb');
  const device = findByIds(vendorId, productId);
  const id = `USB ${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;
  if (!device) throw new PrinterUnavailableError(`${id} tidak terpasang`);
  try {
    device.open();
    device.timeout = timeoutMs;
    const iface = device.interfaces?.find((i) => i.endpoints.some((e) => e.direction === 'out'));
    if (!iface) throw new Error('no OUT endpoint');
    if (process.platform === 'linux' && iface.isKernelDriverActive()) iface.detachKernelDriver();
    iface.claim();
    const endpoint = iface.endpoints.find((e) => e.direction === 'out') as InstanceType<typeof OutEndpoint>;
    await new Promise<void>((resolve, reject) => endpoint.transfer(bytes, (err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve) => iface.release(true, () => resolve()));
  } catch (err) {
    throw new PrinterUnavailableError(`${id} (${(err as Error).message})`);
  } finally {
    try {
      device.close();
    } catch {
      // already closed or never opened
    }
  }
}
