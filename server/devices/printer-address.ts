import net from 'node:net';

/**
 * The shape of a printer address, without the file system or the network: what the settings schema
 * (printer-config.ts) lets through, and the first thing printer-target.ts checks before resolving it for a job.
 */

/** Windows names for a printer port; `\\.\COM10` is how ports above 9 are opened. */
const WINDOWS_PORT = /^(\\\\\.\\)?(COM\d{1,3}|LPT\d)$/i;

/** Paths the schema lets through: no resolution, no file system, just the shape. */
export function isDevicePathShape(value: string): boolean {
  if (value.includes('\0')) return false;
  if (WINDOWS_PORT.test(value)) return true;
  if (!value.startsWith('/dev/') || value.length > 200) return false;
  // `..` and `.` segments are refused outright rather than normalised: a printer path never needs them.
  return value
    .split('/')
    .slice(1)
    .every((segment) => /^[\w.+:@-]+$/.test(segment) && segment !== '.' && segment !== '..');
}

export function isWindowsPort(value: string): boolean {
  return WINDOWS_PORT.test(value);
}

const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** A host name (RFC 1123 labels) or an IPv4/IPv6 literal. */
export function isHostShape(host: string): boolean {
  if (net.isIP(host)) return true;
  if (host.length > 253) return false;
  const labels = host.replace(/\.$/, '').split('.');
  return labels.length > 0 && labels.every((l) => HOST_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}
