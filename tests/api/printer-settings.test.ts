import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * The printer setting names something the server process writes to, so it is an attack surface: an estate admin (or
 * whoever holds that session) must not be able to point it at a file. Runs on SQLite and on PostgreSQL (`pgUrl`).
 */
describe.each(['sqlite', 'postgres'] as const)('printer settings on %s', (backend) => {
  let pgdb: TestDatabase | undefined;
  let server: TestServer;
  let admin: ApiClient;
  let estateId: string;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const links: string[] = [];
  let scratch: string;

  beforeAll(async () => {
    if (backend === 'postgres') pgdb = await createTestDatabase(inject('pgUrl'));
    server = await startTestServer(pgdb ? { databaseUrl: pgdb.url } : {});
    ({ client: admin, estateId } = await setupEstate(server.url));
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-printer-api-'));
  });
  afterAll(async () => {
    for (const link of links) fs.rmSync(link, { force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
    await server?.close();
    await pgdb?.drop();
  });

  function devLink(target: string): string {
    // Only root can make links under /dev; the suite runs as root.
    const link = `/dev/klustera-api-${backend}-${process.pid}-${links.length}`;
    fs.symlinkSync(target, link);
    links.push(link);
    return link;
  }

  it('refuses device paths that are not printer devices: 400 with a stable code, nothing saved, nothing created', async () => {
    const victim = path.join(scratch, 'authorized_keys');
    fs.writeFileSync(victim, '');
    const missing = `/dev/shm/klustera-api-${backend}-${process.pid}`;
    const cases: Array<[string, string]> = [
      ['/dev/../etc/x', 'VALIDATION_FAILED'],
      [`/dev/../${victim.slice(1)}`, 'VALIDATION_FAILED'],
      ['x.prn', 'VALIDATION_FAILED'],
      [path.join(scratch, 'kasir.prn'), 'VALIDATION_FAILED'],
      // The request pipeline may refuse NUL bytes in any field before the schema sees them.
      ['/dev/null\u0000.prn', 'NUL_BYTE|VALIDATION_FAILED'],
      ['dev/usb/lp0', 'VALIDATION_FAILED'],
      ['../../etc/passwd', 'VALIDATION_FAILED'],
      ['/etc/passwd', 'VALIDATION_FAILED'],
      [missing, 'PRINTER_DEVICE_INVALID'],
      ['/dev/zero', 'PRINTER_DEVICE_INVALID'],
      [devLink(victim), 'PRINTER_DEVICE_INVALID'],
      [devLink(scratch), 'PRINTER_DEVICE_INVALID'],
    ];
    for (const [devicePath, code] of cases) {
      const res = await admin.put(e('/settings/printer'), { connection: 'file', device_path: devicePath });
      expect(res.status, devicePath).toBe(400);
      expect(code.split('|'), devicePath).toContain(res.body.error.code);
      if (res.body.error.code !== 'NUL_BYTE') expect(res.body.error.field, devicePath).toBe('device_path');
    }
    expect((await admin.get(e('/settings/printer'))).body.printer).toBeNull();
    expect(fs.existsSync(missing)).toBe(false);
    expect(fs.existsSync(path.join(scratch, 'kasir.prn'))).toBe(false);
    expect(fs.readFileSync(victim, 'utf8')).toBe('');
    // The same rules hold for a gate's slip printer.
    const gate = await admin.post(e('/gates'), { name: 'Pos Utama', printer: { connection: 'file', device_path: devLink(victim) } });
    expect(gate.status).toBe(400);
    expect(gate.body.error.code).toBe('PRINTER_DEVICE_INVALID');
  });

  it('accepts /dev/null and re-checks the device before each job (a link repointed after saving prints nothing)', async () => {
    const victim = path.join(scratch, 'crontab');
    fs.writeFileSync(victim, '');
    const link = devLink('/dev/null');
    const put = await admin.put(e('/settings/printer'), { connection: 'file', device_path: link });
    expect(put.status, put.text).toBe(200);
    expect((await admin.post(e('/settings/printer/test'), {})).body).toMatchObject({ printed: true });
    fs.rmSync(link);
    fs.symlinkSync(victim, link);
    const test = await admin.post(e('/settings/printer/test'), {});
    expect(test.status).toBe(409);
    expect(test.body.error.code).toBe('PRINTER_UNAVAILABLE');
    expect(fs.readFileSync(victim, 'utf8')).toBe('');
    expect((await admin.put(e('/settings/printer'), { connection: 'file', device_path: '/dev/null' })).status).toBe(200);
  });

  it('refuses network printers outside the estate LAN and host names that are not host names', async () => {
    for (const host of ['8.8.8.8', '169.254.169.254', '2001:4860:4860::8888', 'printer;reboot', 'a b']) {
      const res = await admin.put(e('/settings/printer'), { connection: 'network', host, port: 9100 });
      expect(res.status, host).toBe(400);
      expect(['PRINTER_HOST_NOT_ALLOWED', 'VALIDATION_FAILED'], host).toContain(res.body.error.code);
    }
    expect((await admin.put(e('/settings/printer'), { connection: 'network', host: '192.168.1.50', port: 9100 })).status).toBe(200);
  });

  it('PUT → DELETE → PUT → GET brings the setting back (the deleted row does not block the key)', async () => {
    expect((await admin.put(e('/settings/printer'), { connection: 'network', host: '192.168.1.50' })).status).toBe(200);
    expect((await admin.delete(e('/settings/printer'))).status).toBe(204);
    expect((await admin.get(e('/settings/printer'))).body.printer).toBeNull();
    const again = await admin.put(e('/settings/printer'), { connection: 'network', host: '192.168.1.51', paper_width: 80 });
    expect(again.status, again.text).toBe(200);
    expect((await admin.get(e('/settings/printer'))).body.printer).toMatchObject({
      connection: 'network',
      host: '192.168.1.51',
      paper_width: 80,
    });
    expect((await admin.delete(e('/settings/printer'))).status).toBe(204);
    expect((await admin.delete(e('/settings/printer'))).status).toBe(204);
    expect((await admin.put(e('/settings/printer'), { connection: 'network', host: '192.168.1.52' })).status).toBe(200);
    expect((await admin.get(e('/settings/printer'))).body.printer.host).toBe('192.168.1.52');
  });

  it('two first writes of a setting at once both succeed and leave one row', async () => {
    const results = await Promise.all([
      admin.put(e('/settings/receipt'), { paper: 'A6' }),
      admin.put(e('/settings/receipt'), { paper: 'A6' }),
      admin.put(e('/settings/receipt'), { paper: 'A6' }),
    ]);
    for (const r of results) expect(r.status, r.text).toBe(200);
    expect((await admin.get(e('/settings/receipt'))).body.paper).toBe('A6');
  });
});
