import type { Database } from '../db/knex.ts';
import { loadSyncContext } from '../db/sync-context.ts';
import { PlatformStore } from '../db/platform-store.ts';
import { platformAdminRow } from './platform-admin.ts';
import { ScopedStore } from '../db/scoped-store.ts';
import { hashPassword } from '../auth/passwords.ts';
import { insertEstate, insertMembership } from '../estates/index.ts';
import { createUnit } from '../units/index.ts';
import { createResident } from '../residents/index.ts';

const FIRST = [
  'Budi',
  'Siti',
  'Agus',
  'Dewi',
  'Hendra',
  'Rina',
  'Joko',
  'Sri',
  'Bambang',
  'Wati',
  'Andi',
  'Nur',
  'Eko',
  'Fitri',
  'Rudi',
  'Yuni',
  'Dedi',
  'Lestari',
  'Ahmad',
  'Ratna',
  'Teguh',
  'Maya',
  'Slamet',
  'Indah',
  'Hadi',
  'Putri',
  'Wahyu',
  'Ani',
  'Iwan',
  'Kartika',
];
const LAST = [
  'Santoso',
  'Wijaya',
  'Hidayat',
  'Kusuma',
  'Pratama',
  'Saputra',
  'Nugroho',
  'Setiawan',
  'Lestari',
  'Gunawan',
  'Siregar',
  'Nasution',
  'Simanjuntak',
  'Halim',
  'Wibowo',
  'Susanto',
  'Rahman',
  'Hakim',
  'Utomo',
  'Purnomo',
];

/** Deterministic pseudo-random numbers so the demo estate is the same every time. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

export const DEMO_LOGIN = { email: 'admin@demo.klustera.id', password: 'demo12345' };

/** A realistic demo estate: blocks A–F, 150 units (rumah and ruko), owners and tenants with +62 numbers. */
export async function seedDemo(db: Database) {
  const sync = await loadSyncContext(db.knex);
  const rand = rng(20261121);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const phone = () => `+628${Math.floor(1 + rand() * 9)}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
  const hash = await hashPassword(DEMO_LOGIN.password);
  return db.knex.transaction(async (trx) => {
    const existingAdmin = await trx('users').where({ email: DEMO_LOGIN.email }).first();
    const admin = existingAdmin ?? platformAdminRow({ name: 'Admin Demo', email: DEMO_LOGIN.email, phone: null, passwordHash: hash });
    const actor = { userId: admin.id, role: 'platform_admin' as const };
    const platform = new PlatformStore(trx, actor, sync);
    const estate = await insertEstate(platform, {
      name: 'Perumahan Griya Asri (Demo)',
      address: 'Jl. Raya Griya Asri, Bekasi, Jawa Barat',
      timezone: 'Asia/Jakarta',
      rt: '003',
      rw: '011',
    });
    if (!existingAdmin) await platform.insert('users', admin, { estateId: estate.id });
    await insertMembership(platform, { estate_id: estate.id, user_id: admin.id, role: 'estate_admin' });
    const store = new ScopedStore(trx, estate.id, actor, sync);
    let units = 0;
    let residents = 0;
    const plan: Array<{ code: string; type: 'rumah' | 'ruko' }> = [];
    for (const block of ['A', 'B', 'C', 'D', 'E']) for (let n = 1; n <= 27; n++) plan.push({ code: `${block}-${n}`, type: 'rumah' });
    for (let n = 1; n <= 15; n++) plan.push({ code: `F-${n}`, type: 'ruko' });
    for (const p of plan) {
      const roll = rand();
      const occupancy = roll < 0.08 ? 'vacant' : roll < 0.1 ? 'under_construction' : 'occupied';
      const unit = await createUnit(store, {
        code: p.code,
        type: p.type,
        occupancy,
        land_area_m2: p.type === 'ruko' ? 90 : pick([72, 90, 105, 120, 144]),
        building_area_m2: p.type === 'ruko' ? 150 : pick([36, 45, 54, 70, 90]),
      });
      units++;
      if (occupancy !== 'occupied') continue;
      const ownerName = `${pick(FIRST)} ${pick(LAST)}`;
      await createResident(store, {
        name: ownerName,
        phone: phone(),
        unit_id: unit.id,
        relation: 'owner',
        moved_in_on: `20${10 + Math.floor(rand() * 15)}-0${1 + Math.floor(rand() * 9)}-15`,
        directory_opt_in: rand() < 0.6,
      });
      residents++;
      if (rand() < 0.25) {
        await createResident(store, {
          name: `${pick(FIRST)} ${pick(LAST)}`,
          phone: phone(),
          unit_id: unit.id,
          relation: 'tenant',
          moved_in_on: '2025-07-01',
          directory_opt_in: false,
        });
        residents++;
      } else if (rand() < 0.4) {
        await createResident(store, {
          name: `${pick(FIRST)} ${ownerName.split(' ')[1]}`,
          phone: phone(),
          unit_id: unit.id,
          relation: 'family',
          directory_opt_in: false,
        });
        residents++;
      }
    }
    return {
      estateId: estate.id,
      estateName: estate.name,
      units,
      residents,
      login: DEMO_LOGIN.email,
      password: existingAdmin ? '(existing password)' : DEMO_LOGIN.password,
    };
  });
}
