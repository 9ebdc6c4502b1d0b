import { describe, expect, it } from 'vitest';
import { LaunchArgsError, parseLaunchArgs } from './launch-args.ts';

describe('parseLaunchArgs', () => {
  it('defaults to the office window on an OS-chosen port', () => {
    expect(parseLaunchArgs(['/usr/bin/electron', '.'])).toEqual({
      kiosk: false,
      port: 0,
      host: undefined,
      dataDir: undefined,
      serverUrl: undefined,
      updateFeed: undefined,
    });
  });

  it('reads kiosk, port, host and data dir in both spellings', () => {
    const args = parseLaunchArgs(['electron', '.', '--kiosk', '--port', '8080', '--host=0.0.0.0', '--data-dir', '/srv/k']);
    expect(args).toEqual({ kiosk: true, port: 8080, host: '0.0.0.0', dataDir: '/srv/k', serverUrl: undefined, updateFeed: undefined });
  });

  it('reads the update feed flag, which needs a value', () => {
    expect(parseLaunchArgs(['--update-feed', 'https://updates.example.id/klustera']).updateFeed).toBe(
      'https://updates.example.id/klustera',
    );
    expect(() => parseLaunchArgs(['--update-feed'])).toThrow(/--update-feed needs a value/);
  });

  it('ignores switches that Chromium or Playwright add', () => {
    const args = parseLaunchArgs(['electron', '--no-sandbox', '--remote-debugging-port=0', '.', '--inspect']);
    expect(args.kiosk).toBe(false);
    expect(args.port).toBe(0);
  });

  it('rejects a port that is not a number in range', () => {
    expect(() => parseLaunchArgs(['--port', '70000'])).toThrow(LaunchArgsError);
    expect(() => parseLaunchArgs(['--port=abc'])).toThrow(/--port/);
  });

  it('rejects a value flag with no value', () => {
    expect(() => parseLaunchArgs(['--data-dir'])).toThrow(/--data-dir needs a value/);
    expect(() => parseLaunchArgs(['--host', '--kiosk'])).toThrow(/--host needs a value/);
  });

  it('keeps only the origin of --server-url and refuses other schemes', () => {
    expect(parseLaunchArgs(['--server-url', 'http://192.168.1.10:8080/kiosk']).serverUrl).toBe('http://192.168.1.10:8080');
    expect(() => parseLaunchArgs(['--server-url', 'file:///etc/passwd'])).toThrow(/http/);
    expect(() => parseLaunchArgs(['--server-url', 'not a url'])).toThrow(LaunchArgsError);
  });
});
