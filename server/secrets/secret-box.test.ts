import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret, secretsKey } from './secret-box.ts';

describe('secret box', () => {
  it('opens what it sealed for the same row only, and keeps one key per data folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-secret-'));
    const key = secretsKey(dir);
    expect(secretsKey(dir).equals(key)).toBe(true);
    expect(fs.statSync(path.join(dir, 'secrets.key')).mode & 0o077).toBe(0);
    const sealed = sealSecret(key, 'xnd_development_abc', 'payment_gateways:1:secret_key');
    expect(sealed).not.toContain('xnd_development_abc');
    expect(openSecret(key, sealed, 'payment_gateways:1:secret_key')).toBe('xnd_development_abc');
    expect(openSecret(key, sealed, 'payment_gateways:2:secret_key')).toBeNull();
    expect(openSecret(Buffer.alloc(32, 7), sealed, 'payment_gateways:1:secret_key')).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
