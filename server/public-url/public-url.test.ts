import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.ts';
import { lanIPv4, listeningPublicUrl, parsePublicUrl } from './public-url.ts';

function nic(address: string, internal = false, family: 'IPv4' | 'IPv6' = 'IPv4'): NetworkInterfaceInfo {
  return { address, internal, family, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null } as NetworkInterfaceInfo;
}

const OFFICE_PC = {
  lo: [nic('127.0.0.1', true), nic('::1', true, 'IPv6')],
  docker0: [nic('172.17.0.1')],
  eth1: [nic('169.254.10.2')],
  wlan0: [nic('fe80::1', false, 'IPv6'), nic('192.168.1.23')],
};

describe('the address phones open by default', () => {
  it('is the Wi-Fi address when serving on every interface, not loopback, a container bridge or link-local', () => {
    expect(lanIPv4(OFFICE_PC)).toBe('192.168.1.23');
    expect(listeningPublicUrl('0.0.0.0', 4780, OFFICE_PC)).toEqual({ url: 'http://192.168.1.23:4780', source: 'lan' });
    expect(listeningPublicUrl('::', 8080, OFFICE_PC)).toEqual({ url: 'http://192.168.1.23:8080', source: 'lan' });
  });

  it('is the local address when serving on loopback only, or when the machine has no network', () => {
    expect(listeningPublicUrl('127.0.0.1', 4780, OFFICE_PC)).toEqual({ url: 'http://127.0.0.1:4780', source: 'local' });
    expect(listeningPublicUrl('0.0.0.0', 4780, { lo: [nic('127.0.0.1', true)] })).toEqual({
      url: 'http://127.0.0.1:4780',
      source: 'local',
    });
  });

  it('is the one address given when serving on a single interface', () => {
    expect(listeningPublicUrl('10.0.0.5', 4780, OFFICE_PC)).toEqual({ url: 'http://10.0.0.5:4780', source: 'lan' });
  });
});

describe('parsePublicUrl', () => {
  it('keeps scheme, host and port, lower-cased, without a trailing slash', () => {
    expect(parsePublicUrl(' HTTPS://Klustera.Example.ID/ ')).toBe('https://klustera.example.id');
    expect(parsePublicUrl('http://192.168.1.10:4780')).toBe('http://192.168.1.10:4780');
    expect(parsePublicUrl('http://[fd00::2]:4780/')).toBe('http://[fd00::2]:4780');
    expect(parsePublicUrl('https://klustera.example.id:443')).toBe('https://klustera.example.id');
  });

  it.each([
    '',
    '   ',
    'klustera.example.id',
    'ftp://klustera.example.id',
    'javascript:alert(1)',
    'http:/klustera.example.id',
    'http://user:sandi@klustera.example.id',
    'http://klustera.example.id@evil.example',
    'http://evil.example\\klustera.example.id',
    'http://klustera.example.id/portal',
    'http://klustera.example.id/..',
    'http://klustera.example.id/?next=//evil.example',
    'http://klustera.example.id#x',
    'http://klustera.example.id:99999',
    'http://klus tera.example.id',
    'http://%65vil.example',
    'http://a..b',
    `http://${'a'.repeat(200)}.id`,
  ])('refuses %j with PUBLIC_URL_INVALID', (text) => {
    let caught: unknown;
    try {
      parsePublicUrl(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ status: 400, code: 'PUBLIC_URL_INVALID', field: 'public_url' });
  });
});
