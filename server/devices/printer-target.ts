import dns from 'node:dns/promises';
import fs from 'node:fs/promises';
import net from 'node:net';
import { BadRequestError } from '../http/errors.ts';
import type { PrinterConfig } from './printer-config.ts';
import { isDevicePathShape, isHostShape, isWindowsPort } from './printer-address.ts';

export { isDevicePathShape, isHostShape, isWindowsPort };

/**
 * Where a print job may go. A printer setting is written by an estate admin and used by the server process, so it is
 * checked twice: when it is saved (a 400 the admin can act on) and again right before each job, because the file a
 * path names or the address a host name resolves to can change in between.
 */

/**
 * Device nodes a receipt printer shows up as on Linux: the USB printer class, parallel ports, serial and USB-serial
 * adapters, Bluetooth serial, and /dev/null (a printer that swallows everything, for trying the setup). Other
 * character devices are refused even though they exist: writing to /dev/mem, /dev/uinput or /dev/watchdog is not
 * printing.
 */
const PRINTER_DEVICE = /^\/dev\/(usb\/lp\d{1,3}|lp\d{1,3}|ttyS\d{1,3}|ttyUSB\d{1,3}|ttyACM\d{1,3}|rfcomm\d{1,3}|null)$/;

export class PrinterDeviceInvalidError extends BadRequestError {
  constructor(message = 'Bukan perangkat printer: pilih mis. /dev/usb/lp0, /dev/ttyUSB0 atau COM3.') {
    super('PRINTER_DEVICE_INVALID', message, 'device_path');
  }
}

export class PrinterHostNotAllowedError extends BadRequestError {
  constructor() {
    super('PRINTER_HOST_NOT_ALLOWED', 'Printer jaringan harus berada di jaringan lokal perumahan (mis. 192.168.1.50).', 'host');
  }
}

/**
 * The device node a path really names, after following every symlink (`/dev/serial/by-id/…` are symlinks), and only
 * if that node is a printer-like character device under /dev. Nothing is opened or created here.
 */
export async function resolvePrinterDevice(devicePath: string, platform: NodeJS.Platform = process.platform): Promise<string> {
  if (!isDevicePathShape(devicePath)) throw new PrinterDeviceInvalidError();
  if (isWindowsPort(devicePath)) {
    if (platform !== 'win32')
      throw new PrinterDeviceInvalidError('Port COM/LPT hanya ada di Windows; di komputer ini pilih perangkat di /dev.');
    return devicePath;
  }
  if (platform === 'win32') throw new PrinterDeviceInvalidError();
  let resolved: string;
  try {
    resolved = await fs.realpath(devicePath);
  } catch {
    throw new PrinterDeviceInvalidError('Perangkat printer tidak ditemukan. Pastikan printer tersambung.');
  }
  if (!PRINTER_DEVICE.test(resolved)) throw new PrinterDeviceInvalidError();
  const stat = await fs.stat(resolved).catch(() => null);
  if (!stat?.isCharacterDevice()) throw new PrinterDeviceInvalidError();
  return resolved;
}

/** Opens a checked device for writing: never with O_CREAT, and the final path component must not be a symlink. */
export async function openPrinterDevice(devicePath: string): Promise<fs.FileHandle> {
  const resolved = await resolvePrinterDevice(devicePath);
  if (process.platform === 'win32') return fs.open(resolved, fs.constants.O_WRONLY);
  const handle = await fs.open(resolved, fs.constants.O_WRONLY | fs.constants.O_NOCTTY | fs.constants.O_NOFOLLOW);
  try {
    // What was opened, not what the name said a moment ago.
    if (!(await handle.stat()).isCharacterDevice()) throw new PrinterDeviceInvalidError();
    const opened = await fs.readlink(`/proc/self/fd/${handle.fd}`).catch(() => resolved);
    if (!PRINTER_DEVICE.test(opened)) throw new PrinterDeviceInvalidError();
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * Receipt printers sit on the estate LAN. Anything else (a public address, the cloud metadata address) would let a
 * printer setting make the server talk to hosts it has no business with. `KLUSTERA_PRINTER_HOSTS` sets the policy:
 * `lan` (default: private and loopback addresses), `any` (an office whose printer really is elsewhere, over a VPN with
 * public addresses) or `off` (no network printers at all: the hosted instance, whose private network is the
 * provider's, not an estate's, and which reaches no estate printer anyway).
 */
const LAN = new net.BlockList();
LAN.addSubnet('10.0.0.0', 8, 'ipv4');
LAN.addSubnet('172.16.0.0', 12, 'ipv4');
LAN.addSubnet('192.168.0.0', 16, 'ipv4');
LAN.addSubnet('127.0.0.0', 8, 'ipv4');
LAN.addAddress('::1', 'ipv6');
LAN.addSubnet('fc00::', 7, 'ipv6');

export function anyPrinterHostAllowed(): boolean {
  return process.env.KLUSTERA_PRINTER_HOSTS === 'any';
}

function networkPrintersOff(): boolean {
  return process.env.KLUSTERA_PRINTER_HOSTS === 'off';
}

export function isLanAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return LAN.check(address, 'ipv4');
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return LAN.check(mapped[1], 'ipv4');
  return LAN.check(address, 'ipv6');
}

/** At save time: a literal address must be on the LAN; a name is checked when it is resolved for each job. */
export function assertHostAllowed(host: string): void {
  if (!isHostShape(host) || networkPrintersOff()) throw new PrinterHostNotAllowedError();
  if (net.isIP(host) && !anyPrinterHostAllowed() && !isLanAddress(host)) throw new PrinterHostNotAllowedError();
}

/** The address a job connects to: resolved once, so a name cannot point elsewhere between check and connect. */
export async function resolvePrinterHost(host: string): Promise<{ address: string; family: number } | null> {
  if (!isHostShape(host) || networkPrintersOff()) return null;
  const found = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await dns.lookup(host, { all: true }).catch(() => []);
  if (!found.length) return null;
  if (anyPrinterHostAllowed()) return found[0];
  // Every address of the name must be local: a name that also resolves to a public address is refused as a whole.
  return found.every((a) => isLanAddress(a.address)) ? found[0] : null;
}

/** Both checks that need the file system or the network policy, for the places that save a printer setting. */
export async function assertPrinterTargetUsable(config: PrinterConfig): Promise<void> {
  if (config.connection === 'file') await resolvePrinterDevice(config.device_path!);
  if (config.connection === 'network') assertHostAllowed(config.host!);
}
