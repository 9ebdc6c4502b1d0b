import type { NetworkInterfaceInfo } from 'node:os';
import { BadRequestError } from '../http/errors.ts';

/**
 * The address residents' phones, guests and kiosk tablets open: every link and QR code that leaves the screen starts
 * with it. It is never taken from a request's Host header, which the sender chooses: a forged Host would otherwise
 * let anyone make invite links point at their own site.
 */
export type PublicUrlSource = 'startup' | 'setting' | 'lan' | 'local';

export interface PublicAddress {
  /** `--public-url` / KLUSTERA_PUBLIC_URL: the operator's choice, which the settings screen cannot override. */
  startup: string | null;
  /** What the installation administrator saved on the settings screen. */
  stored: string | null;
  /** What the server works out from where it listens. */
  fallback: string;
  fallbackSource: 'lan' | 'local';
}

export const PUBLIC_URL_MAX_LENGTH = 200;

// Scheme, then a host of plain ASCII name, IPv4 or bracketed IPv6 characters with an optional port, then at most
// one "/". No user info, path, query or fragment: each of them is a way to make a link look like one place and
// lead to another ("http://office.example@evil.example", "http://evil.example\\office.example").
const SHAPE = /^(https?):\/\/([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?\/?$/;

/** The normalised origin (`http://host:port`, no trailing slash) or 400 PUBLIC_URL_INVALID. */
export function parsePublicUrl(text: string, field = 'public_url'): string {
  const trimmed = text.trim();
  const invalid = (why: string) =>
    new BadRequestError(
      'PUBLIC_URL_INVALID',
      `Alamat publik tidak valid: ${why}. Contoh: http://192.168.1.10:4780 atau https://klustera.example.id`,
      field,
    );
  if (!trimmed) throw invalid('kosong');
  if (trimmed.length > PUBLIC_URL_MAX_LENGTH) throw invalid(`lebih dari ${PUBLIC_URL_MAX_LENGTH} karakter`);
  if (!/^https?:\/\//i.test(trimmed)) throw invalid('harus diawali http:// atau https://');
  if (/[@\\]/.test(trimmed)) throw invalid('tidak boleh memuat nama pengguna, sandi atau garis miring terbalik');
  const shape = SHAPE.exec(trimmed.replace(/^https?/i, (s) => s.toLowerCase()));
  if (!shape) throw invalid('hanya skema, nama host dan port, tanpa jalur, ? atau #');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw invalid('nama host atau port tidak dapat dibaca');
  }
  const host = url.hostname;
  if (!host || host.startsWith('.') || host.endsWith('..') || host.includes('..')) throw invalid('nama host tidak dapat dibaca');
  if (shape[3] && Number(shape[3].slice(1)) > 65535) throw invalid('port lebih dari 65535');
  return `${url.protocol}//${url.host}`;
}

/** A stored address that still passes today's rules, or null: one saved under looser rules is not put on paper. */
export function usablePublicUrl(text: string | null | undefined): string | null {
  if (!text) return null;
  try {
    return parsePublicUrl(text);
  } catch {
    return null;
  }
}

function privateRank(address: string): number {
  if (address.startsWith('192.168.')) return 0;
  if (address.startsWith('10.')) return 1;
  // 172.16/12 last among private ranges: container bridges (172.17.x.x) live there and phones cannot reach them.
  const second = Number(address.split('.')[1]);
  if (address.startsWith('172.') && second >= 16 && second <= 31) return 2;
  return 3;
}

/** The machine's address on the estate network: a non-loopback IPv4, a home/office range first; null when none. */
export function lanIPv4(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | null {
  const candidates: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      const family = info.family as string | number;
      if (info.internal || (family !== 'IPv4' && family !== 4)) continue;
      if (info.address.startsWith('169.254.')) continue; // link-local: no DHCP answer, nobody else can reach it
      candidates.push(info.address);
    }
  }
  candidates.sort((a, b) => privateRank(a) - privateRank(b));
  return candidates[0] ?? null;
}

function origin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Where phones reach this server when nobody said: serving on every interface means serving the estate network, so
 * the LAN address; serving on loopback only means nothing but this machine can open it, so the local address.
 */
export function listeningPublicUrl(
  host: string,
  port: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
): { url: string; source: 'lan' | 'local' } {
  if (host === '0.0.0.0' || host === '::') {
    const lan = lanIPv4(interfaces);
    return lan ? { url: origin(lan, port), source: 'lan' } : { url: origin('127.0.0.1', port), source: 'local' };
  }
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  return { url: origin(host, port), source: loopback ? 'local' : 'lan' };
}

export function effectivePublicUrl(address: PublicAddress): { url: string; source: PublicUrlSource } {
  if (address.startup) return { url: address.startup, source: 'startup' };
  if (address.stored) return { url: address.stored, source: 'setting' };
  return { url: address.fallback, source: address.fallbackSource };
}
