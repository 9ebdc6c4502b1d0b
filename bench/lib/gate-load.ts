// What the gate benchmarks share, whatever the database: the pass and access-log rows they seed (the same rows on
// SQLite and PostgreSQL), four kiosks paired and on shift, and the scan loops (one kiosk, then four at once).
import { readFileSync } from 'node:fs';
import { newId } from '../../server/db/ids.ts';
import { encodeSignedToken } from '../../server/passes/pass-payload.ts';
import { round } from './stats.ts';

export const GUARD_PIN = '135790';

export interface SeededPass {
  id: string;
  singleUse: boolean;
}

/** Pass i of the seeded history, as column values in the order of `PASS_COLUMNS`. */
export const PASS_COLUMNS = [
  'id',
  'estate_id',
  'kind',
  'unit_id',
  'name',
  'plate',
  'purpose',
  'valid_from',
  'valid_until',
  'max_uses',
  'code',
  'created_at',
  'updated_at',
] as const;

export function passRow(i: number, estateId: string, unitIds: string[], now: number): { values: unknown[]; usable: SeededPass | null } {
  const iso = (ms: number) => new Date(ms).toISOString();
  const id = newId();
  const kind = i % 5 === 0 ? 'resident' : i % 7 === 0 ? 'temporary' : 'guest';
  // Half of the history is long over; the other half is usable now (the scans pick from those).
  const current = i % 2 === 0;
  const from = current ? now - 3_600_000 : now - (40 + (i % 300)) * 86_400_000;
  const until = current ? now + 30 * 86_400_000 : from + 86_400_000;
  const singleUse = current && kind === 'guest' && i % 10 === 2;
  const maxUses = kind === 'resident' ? null : singleUse ? 1 : 100_000;
  return {
    values: [
      id,
      estateId,
      kind,
      unitIds[i % unitIds.length],
      `Tamu ${i}`,
      i % 3 ? null : `B ${1000 + (i % 9000)} XY`,
      'Berkunjung',
      iso(from),
      iso(until),
      maxUses,
      String(10_000_000 + ((i * 7919) % 89_999_999)),
      iso(from),
      iso(from),
    ],
    usable: current ? { id, singleUse } : null,
  };
}

/** Access-log row i of `total` (a year of history), in the order of `LOG_COLUMNS`. */
export const LOG_COLUMNS = [
  'id',
  'estate_id',
  'occurred_at',
  'direction',
  'verdict',
  'reason',
  'gate_id',
  'person_name',
  'unit_id',
  'plate',
  'created_at',
] as const;

export function logRow(
  i: number,
  total: number,
  passes: number,
  estateId: string,
  unitIds: string[],
  gateId: string,
  now: number,
): unknown[] {
  const at = new Date(now - 365 * 86_400_000 + Math.floor((i / total) * 365 * 86_400_000)).toISOString();
  const rejected = i % 11 === 0;
  return [
    newId(),
    estateId,
    at,
    i % 2 ? 'out' : 'in',
    rejected ? 'rejected' : 'accepted',
    rejected ? 'expired' : null,
    gateId,
    `Tamu ${i % passes}`,
    unitIds[i % unitIds.length],
    i % 3 ? null : `B ${1000 + (i % 9000)} XY`,
    at,
  ];
}

/** A guard and four kiosks, each paired (bearer token) and on shift at one of the gates; returns their headers. */
export async function kiosksOnShift(
  serverUrl: string,
  estateId: string,
  adminToken: string,
  gateIds: string[],
): Promise<Record<string, string>[]> {
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const api = `${serverUrl}/api/v1/estates/${estateId}`;
  const guard = (await (
    await fetch(`${api}/gate/guards`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Pak Bench', pin: GUARD_PIN }) })
  ).json()) as { id: string };
  const kiosks: Record<string, string>[] = [];
  for (let k = 0; k < 4; k++) {
    const device = (await (
      await fetch(`${api}/devices`, { method: 'POST', headers: admin, body: JSON.stringify({ name: `Kios ${k}`, kind: 'kiosk' }) })
    ).json()) as { pairing_code: string };
    const paired = (await (
      await fetch(`${api}/devices/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pairing_code: device.pairing_code }),
      })
    ).json()) as { token: string };
    const headers = { authorization: `Bearer ${paired.token}`, 'content-type': 'application/json' };
    const shift = await fetch(`${api}/gate/shifts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ gate_id: gateIds[k % gateIds.length], guard_id: guard.id, pin: GUARD_PIN }),
    });
    if (shift.status !== 201) throw new Error(`shift: ${shift.status} ${await shift.text()}`);
    kiosks.push(headers);
  }
  return kiosks;
}

/** CPU time a process has used so far, in ms (utime + stime from /proc, 100 ticks per second). */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function timedFetch(url: string, init: RequestInit): Promise<{ ms: number; status: number; body: { verdict?: string } }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const body = (await res.json()) as { verdict?: string };
  return { ms: performance.now() - t0, status: res.status, body };
}

export interface ScanFigures {
  single: number[];
  four: number[];
  health: number[];
  verdicts: Record<string, number>;
  failures: number;
  serverCpuPerScan: number;
}

/**
 * Scans QR payloads of random usable passes: a warm-up, `scans` from one kiosk one at a time, `scans` spread over
 * four kiosks at once, then GET /health as many times. One payload in twenty is forged (a flipped signature character).
 */
export async function measureScans(opts: {
  serverUrl: string;
  serverPid: number;
  estateId: string;
  privateKeyPem: string;
  passes: SeededPass[];
  kiosks: Record<string, string>[];
  scans: number;
}): Promise<ScanFigures> {
  const api = `${opts.serverUrl}/api/v1/estates/${opts.estateId}`;
  let pick = 0;
  const nextPayload = () => {
    pick++;
    const pass = opts.passes[(pick * 7919) % opts.passes.length];
    const payload = encodeSignedToken({ subject: 'pass', estateId: opts.estateId, subjectId: pass.id }, opts.privateKeyPem);
    return pick % 20 === 0 ? `${payload.slice(0, -3)}${payload.at(-3) === 'A' ? 'B' : 'A'}${payload.slice(-2)}` : payload;
  };
  const scan = (headers: Record<string, string>) =>
    timedFetch(`${api}/gate/scan`, { method: 'POST', headers, body: JSON.stringify({ payload: nextPayload(), direction: 'in' }) });

  for (let i = 0; i < 300; i++) await scan(opts.kiosks[0]); // warm-up

  const verdicts: Record<string, number> = {};
  const single: number[] = [];
  let failures = 0;
  const cpuBefore = cpuMsOf(opts.serverPid);
  for (let i = 0; i < opts.scans; i++) {
    const r = await scan(opts.kiosks[0]);
    if (r.status !== 200) failures++;
    else single.push(r.ms);
    verdicts[r.body.verdict ?? 'error'] = (verdicts[r.body.verdict ?? 'error'] ?? 0) + 1;
  }
  const serverCpuPerScan = round((cpuMsOf(opts.serverPid) - cpuBefore) / opts.scans, 3);
  const four: number[] = [];
  await Promise.all(
    opts.kiosks.map(async (headers) => {
      for (let i = 0; i < opts.scans / 4; i++) {
        const r = await scan(headers);
        if (r.status !== 200) failures++;
        else four.push(r.ms);
      }
    }),
  );
  const health: number[] = [];
  for (let i = 0; i < opts.scans; i++) health.push((await timedFetch(`${opts.serverUrl}/api/v1/health`, {})).ms);
  return { single, four, health, verdicts, failures, serverCpuPerScan };
}
