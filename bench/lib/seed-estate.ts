// Builds a data directory holding one estate with N units, each with one resident, the way the product would:
// the estate and its administrator through POST /setup, the units and residents through the unit and resident
// services on a ScopedStore (so every row has its audit and outbox rows, as in real use). With `databaseUrl` the
// estate lands in that PostgreSQL database instead of the data dir's SQLite file.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { startServer } from '../../server/start.ts';
import { createResident } from '../../server/residents/service.ts';
import { createUnit } from '../../server/units/service.ts';

export const ADMIN_LOGIN = 'bendahara@griya-bench.example';
export const ADMIN_PASSWORD = 'bench-password-2026';

const BLOCKS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'.split('');
const GIVEN = [
  'Budi',
  'Siti',
  'Agus',
  'Dewi',
  'Rudi',
  'Sri',
  'Andi',
  'Rina',
  'Joko',
  'Wati',
  'Hendra',
  'Yuni',
  'Bambang',
  'Ratna',
  'Eko',
  'Lestari',
];
const FAMILY = [
  'Santoso',
  'Wijaya',
  'Hidayat',
  'Saputra',
  'Kusuma',
  'Pratama',
  'Siregar',
  'Nasution',
  'Hutapea',
  'Gunawan',
  'Setiawan',
  'Halim',
  'Purnomo',
  'Susanto',
  'Rahman',
  'Lubis',
  'Sitompul',
  'Wibowo',
  'Tanjung',
  'Harahap',
];

export interface SeededEstate {
  dataDir: string;
  estateId: string;
  units: number;
  /** Unit code of the n-th unit (0-based), e.g. `C-117`. */
  codeOf(n: number): string;
  residentNameOf(n: number): string;
  seedSeconds: number;
}

export function unitCode(n: number, perBlock: number): string {
  return `${BLOCKS[Math.floor(n / perBlock) % BLOCKS.length]}-${(n % perBlock) + 1}`;
}

export function residentName(n: number): string {
  return `${GIVEN[n % GIVEN.length]} ${FAMILY[Math.floor(n / GIVEN.length) % FAMILY.length]} ${n}`;
}

export async function seedEstate(
  units: number,
  opts: {
    batch?: number;
    databaseUrl?: string;
    /** Give each resident a mobile number, so WhatsApp reaches them (messages are only written for reachable residents). */
    phones?: boolean;
  } = {},
): Promise<SeededEstate> {
  const started = process.hrtime.bigint();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'klustera-bench-'));
  const perBlock = Math.ceil(units / BLOCKS.length);
  const server = await startServer({ dataDir, databaseUrl: opts.databaseUrl, port: 0, backgroundJobs: false });
  try {
    const response = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        estate: { name: 'Perumahan Griya Bench', timezone: 'Asia/Jakarta', rt: '001', rw: '005' },
        admin: { name: 'Bendahara Bench', email: ADMIN_LOGIN, password: ADMIN_PASSWORD },
      }),
    });
    if (response.status !== 201) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
    const { estate } = (await response.json()) as { estate: { id: string } };
    const store = new ScopedStore(server.db.knex, estate.id, SYSTEM_ACTOR, server.app.sync);
    const batch = opts.batch ?? 500;
    for (let start = 0; start < units; start += batch) {
      await store.transaction(async (tx) => {
        for (let n = start; n < Math.min(units, start + batch); n++) {
          const unit = await createUnit(tx, {
            code: unitCode(n, perBlock),
            type: 'rumah',
            occupancy: 'occupied',
            land_area_m2: 72 + (n % 5) * 12,
            building_area_m2: 36 + (n % 4) * 9,
          } as Parameters<typeof createUnit>[1]);
          await createResident(tx, {
            name: residentName(n),
            phone: opts.phones ? `0812${String(n).padStart(8, '0')}` : null,
            email: null,
            unit_id: unit.id,
            relation: 'owner',
            moved_in_on: '2020-01-01',
            directory_opt_in: false,
          } as Parameters<typeof createResident>[1]);
        }
      });
    }
    return {
      dataDir,
      estateId: estate.id,
      units,
      codeOf: (n) => unitCode(n, perBlock),
      residentNameOf: residentName,
      seedSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
  } finally {
    await server.close();
  }
}

/** Logs in as the seeded administrator and returns a bearer token for API calls. */
export async function bearerToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: ADMIN_LOGIN, password: ADMIN_PASSWORD }),
  });
  if (!response.ok) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
