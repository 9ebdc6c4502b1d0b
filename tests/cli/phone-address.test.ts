import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import { lanIPv4 } from '../../server/public-url/public-url.ts';

/** `klustera serve` tells whoever started it which address phones open, with a QR code of it for the phone's camera. */
const BIN = path.resolve('bin/klustera.mjs');
const ENV = { ...process.env, KLUSTERA_DATA_DIR: '', KLUSTERA_PUBLIC_URL: '' };
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The output of `klustera serve …` up to its ready line; the server is stopped after. */
async function startupOutput(...args: string[]): Promise<{ output: string; port: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-phone-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir, ...args], {
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const ready = await new Promise<{ port: number }>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('KLUSTERA_READY '));
      if (line) resolve(JSON.parse(line.slice('KLUSTERA_READY '.length)));
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { output, port: ready.port };
}

// A terminal QR code drawn with block characters: several lines of them in a row.
const QR_BLOCK = /(?:^.*[█▀▄].*\n){8,}/m;

/** Reads the terminal QR code as a phone camera pointed at the screen would: each character is two modules, top and bottom. */
function readTerminalQr(output: string): string | null {
  const rows = output
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((l) => /^[ █▀▄]+$/.test(l) && /[█▄]/.test(l));
  const scale = 6;
  const pad = 4 * scale;
  const modulesWide = Math.max(...rows.map((r) => [...r].length));
  const width = modulesWide * scale + pad * 2;
  const height = rows.length * 2 * scale + pad * 2;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  rows.forEach((row, r) =>
    [...row].forEach((ch, c) => {
      const dark = [ch === '█' || ch === '▀', ch === '█' || ch === '▄'];
      dark.forEach((isDark, half) => {
        if (!isDark) return;
        for (let y = 0; y < scale; y++)
          for (let x = 0; x < scale; x++) {
            const o = ((pad + (r * 2 + half) * scale + y) * width + pad + c * scale + x) * 4;
            rgba[o] = rgba[o + 1] = rgba[o + 2] = 0;
          }
      });
    }),
  );
  return jsQR(rgba, width, height)?.data ?? null;
}

describe('klustera serve: the address phones open', () => {
  it('on 0.0.0.0 is the LAN address (never 127.0.0.1), printed with a QR code of it', async () => {
    const { output, port } = await startupOutput('--host', '0.0.0.0');
    const lan = lanIPv4(os.networkInterfaces());
    const expected = lan ? `http://${lan}:${port}/portal` : null;
    if (expected) {
      expect(output).toContain(`phones and tablets open: ${expected}`);
      expect(readTerminalQr(output)).toBe(expected);
    } else {
      // A machine with no network at all: nothing a phone could open, and the output says so.
      expect(output).toContain('only this computer can open Klustera');
    }
    expect(output).not.toMatch(/phones and tablets open: http:\/\/127\./);
  }, 60_000);

  it('on 127.0.0.1 says phones cannot reach it and how to change that, without a useless QR code', async () => {
    const { output } = await startupOutput('--host', '127.0.0.1');
    expect(output).toContain('only this computer can open Klustera; start with --host 0.0.0.0');
    expect(output).not.toMatch(QR_BLOCK);
  }, 60_000);

  it('--public-url is what phones open, and a bad one stops the start with a clear message', async () => {
    const { output } = await startupOutput('--public-url', 'https://klustera.example.id/', '--kiosk');
    expect(output).toContain('phones and tablets open: https://klustera.example.id/kiosk');
    expect(readTerminalQr(output)).toBe('https://klustera.example.id/kiosk');
    await expect(startupOutput('--public-url', 'http://admin:sandi@klustera.example.id')).rejects.toThrow(
      /exited with 1[\s\S]*--public-url/,
    );
  }, 60_000);
});
