import net from 'node:net';
import { AppError } from '../http/errors.ts';
import type { PrinterConfig } from './printer-config.ts';
import { openPrinterDevice, PrinterDeviceInvalidError, resolvePrinterHost } from './printer-target.ts';

/**
 * Sends finished ESC/POS bytes to the device. The printer being off, unplugged or out of reach is a state of the
 * office, not a server fault, so it is reported as 409 PRINTER_UNAVAILABLE and the UI can say "check the printer".
 */
export class PrinterUnavailableError extends AppError {
  constructor(detail?: string) {
    super(
      409,
      'PRINTER_UNAVAILABLE',
      detail ? `Printer tidak dapat dihubungi: ${detail}` : 'Printer tidak dapat dihubungi. Periksa apakah printer menyala dan tersambung.',
    );
  }
}

export async function sendToPrinter(config: PrinterConfig, bytes: Buffer): Promise<void> {
  switch (config.connection) {
    case 'network':
      return sendOverTcp(config.host!, config.port ?? 9100, bytes, config.timeout_ms ?? 5000);
    case 'file':
      return writeToDevice(config.device_path!, bytes, config.timeout_ms ?? 5000);
    case 'usb':
      return sendOverUsb(config.vendor_id!, config.product_id!, bytes, config.timeout_ms ?? 5000);
  }
}

/**
 * A failed connection says nothing about why and always takes the whole timeout: "refused" comes back at once and
 * "filtered" only after the timeout, so either the message or the delay would tell an admin which ports are open on
 * hosts the server can reach.
 */
async function sendOverTcp(host: string, port: number, bytes: Buffer, timeoutMs: number): Promise<void> {
  const started = Date.now();
  // Names what the office configured and how long it waited: enough to fix a wrong address or a switched-off printer,
  // and the same words for a refused, filtered or silent port.
  const seconds = Math.round(timeoutMs / 100) / 10;
  const detail = `${host}:${port} tidak menjawab dalam ${String(seconds).replace('.', ',')} detik`;
  const failSlowly = async (): Promise<never> => {
    const left = started + timeoutMs - Date.now();
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    throw new PrinterUnavailableError(detail);
  };
  const target = await resolvePrinterHost(host);
  if (!target) return failSlowly();
  const ok = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: target.address, port, family: target.family });
    let settled = false;
    let flushed = false;
    const finish = (success: boolean) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(success);
    };
    // Some printers keep the connection open after a job; once every byte is written, silence is success.
    socket.setTimeout(Math.max(1, timeoutMs - (Date.now() - started)), () => finish(flushed));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.end(bytes, () => (flushed = true)));
    socket.once('close', (hadError) => finish(!hadError));
  });
  if (!ok) await failSlowly();
}

async function writeToDevice(devicePath: string, bytes: Buffer, timeoutMs: number): Promise<void> {
  const job = (async () => {
    // Checked again here, not only when saved: the node a path names can change between the two.
    const handle = await openPrinterDevice(devicePath);
    try {
      let offset = 0;
      while (offset < bytes.length) offset += (await handle.write(bytes, offset)).bytesWritten;
    } finally {
      await handle.close().catch(() => undefined);
    }
  })();
  job.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  // A serial port without a printer behind it can block a write forever.
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)));
  try {
    await Promise.race([job, timeout]);
  } catch (err) {
    throw new PrinterUnavailableError(err instanceof PrinterDeviceInvalidError ? err.message : undefined);
  } finally {
    clearTimeout(timer);
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
