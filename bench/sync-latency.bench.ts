// One change → visible on the other side, both ways, with live sync: an office desktop (`klustera serve` on SQLite,
// child process, its sync loop on as in real use) linked to a hosted instance (`klustera serve` on an embedded
// PostgreSQL, child process). N times a unit's notes are edited on one side over HTTP, and the other side's unit is
// read every 10 ms until it shows the new value. Baseline: the same edit read back on the side that made it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withPostgres } from './lib/postgres.ts';
import { ratio, report } from './lib/report.ts';
import { ADMIN_LOGIN, ADMIN_PASSWORD, bearerToken } from './lib/seed-estate.ts';
import { spawnServer } from './lib/server-process.ts';
import { percentile } from './lib/stats.ts';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 50);
const POLL_MS = 10;
const GIVE_UP_MS = 30_000;

async function call(method: string, url: string, token: string | undefined, body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

interface Side {
  api: string;
  token: string;
}

/** Edits the unit's notes on `from` and waits until `to` shows them: milliseconds. */
async function oneChange(from: Side, to: Side, unitPath: string, notes: string): Promise<number> {
  const started = performance.now();
  await call('PATCH', `${from.api}${unitPath}`, from.token, { notes });
  for (;;) {
    const unit = await call('GET', `${to.api}${unitPath}`, to.token);
    if (unit.notes === notes) return performance.now() - started;
    if (performance.now() - started > GIVE_UP_MS) throw new Error(`change not visible after ${GIVE_UP_MS} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function figures(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    n: samples.length,
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted.at(-1) ?? 0),
  };
}

async function main(): Promise<number> {
  return withPostgres(async ({ url }) => {
    const cloudDir = mkdtempSync(path.join(os.tmpdir(), 'klustera-bench-cloud-'));
    const desktopDir = mkdtempSync(path.join(os.tmpdir(), 'klustera-bench-desktop-'));
    const cloud = await spawnServer(cloudDir, { DATABASE_URL: url });
    const desktop = await spawnServer(desktopDir);
    try {
      const admin = { name: 'Bendahara Bench', email: ADMIN_LOGIN, password: ADMIN_PASSWORD };
      await call('POST', `${cloud.url}/api/v1/setup`, undefined, { estate: { name: 'Pengelola Awan', timezone: 'Asia/Jakarta' }, admin });
      const { estate } = await call('POST', `${desktop.url}/api/v1/setup`, undefined, {
        estate: { name: 'Perumahan Griya Bench', timezone: 'Asia/Jakarta' },
        admin,
      });
      const cloudSide: Side = { api: `${cloud.url}/api/v1`, token: await bearerToken(cloud.url) };
      const desktopSide: Side = { api: `${desktop.url}/api/v1`, token: await bearerToken(desktop.url) };
      const { code } = await call('POST', `${cloudSide.api}/sync/link-codes`, cloudSide.token, {});
      await call('POST', `${desktopSide.api}/estates/${estate.id}/sync/link`, desktopSide.token, { cloud_url: cloud.url, code });
      const unit = await call('POST', `${desktopSide.api}/estates/${estate.id}/units`, desktopSide.token, {
        code: 'A-1',
        occupancy: 'occupied',
      });
      const unitPath = `/estates/${estate.id}/units/${unit.id}`;
      // The unit reaches the hosted instance before the first timed change.
      for (let tries = 0; ; tries++) {
        const res = await fetch(`${cloudSide.api}${unitPath}`, { headers: { authorization: `Bearer ${cloudSide.token}` } });
        if (res.ok) break;
        if (tries > 3_000) throw new Error('the unit never reached the hosted instance');
        await new Promise((r) => setTimeout(r, POLL_MS));
      }

      const up: number[] = [];
      const down: number[] = [];
      const localDesktop: number[] = [];
      const localCloud: number[] = [];
      // One edit at a time, each seen on both sides before the next: no two sides edit the field while apart.
      const seenOn = async (side: Side, notes: string) => {
        for (let tries = 0; (await call('GET', `${side.api}${unitPath}`, side.token)).notes !== notes; tries++) {
          if (tries > 3_000) throw new Error('the two sides never agreed');
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
      };
      for (let i = 0; i < CHANGES; i++) {
        up.push(await oneChange(desktopSide, cloudSide, unitPath, `kantor ${i}`));
        down.push(await oneChange(cloudSide, desktopSide, unitPath, `awan ${i}`));
        localDesktop.push(await oneChange(desktopSide, desktopSide, unitPath, `kantor lokal ${i}`));
        await seenOn(cloudSide, `kantor lokal ${i}`);
        localCloud.push(await oneChange(cloudSide, cloudSide, unitPath, `awan lokal ${i}`));
        await seenOn(desktopSide, `awan lokal ${i}`);
      }
      const upF = figures(up);
      const downF = figures(down);
      const localD = figures(localDesktop);
      const localC = figures(localCloud);
      return report({
        name: 'sync-latency',
        description: `one change → visible on the other side with live sync, ${CHANGES} changes each way (desktop SQLite, hosted PostgreSQL)`,
        scenarios: { desktop_to_cloud: upF, cloud_to_desktop: downF },
        baseline: {
          description: 'the same edit read back on the server that made it (write + read over HTTP)',
          scenarios: { desktop_local: localD, cloud_local: localC },
        },
        ratios: {
          'desktop_to_cloud.p99': ratio(upF.p99_ms, localD.p99_ms),
          'cloud_to_desktop.p99': ratio(downF.p99_ms, localC.p99_ms),
        },
        budgets: [
          {
            figure: 'desktop_to_cloud.p99_ms',
            text: 'one change to visible on the other side, p99 < 1 s',
            measured: upF.p99_ms,
            limit: 1000,
            kind: 'max',
          },
          {
            figure: 'cloud_to_desktop.p99_ms',
            text: 'one change to visible on the other side, p99 < 1 s',
            measured: downF.p99_ms,
            limit: 1000,
            kind: 'max',
          },
        ],
        parameters: { changes: CHANGES, poll_ms: POLL_MS },
      });
    } finally {
      await desktop.stop();
      await cloud.stop();
      rmSync(cloudDir, { recursive: true, force: true });
      rmSync(desktopDir, { recursive: true, force: true });
    }
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
