// Shared set-up of the guard-post API tests: an estate with units, a gate, a guard and a paired kiosk on shift.
import { apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

export const GUARD_PIN = '482913';

export interface GatePostWorld {
  server: TestServer;
  admin: ApiClient;
  estateId: string;
  unitId: string;
  unitCode: string;
  gateId: string;
  guardId: string;
  kiosk: ApiClient;
  deviceId: string;
  base: string;
}

export async function addUnit(admin: ApiClient, estateId: string, code: string): Promise<string> {
  const res = await admin.post(`/estates/${estateId}/units`, { code, type: 'rumah', occupancy: 'occupied' });
  if (res.status !== 201) throw new Error(`unit: ${res.status} ${res.text}`);
  return res.body.id;
}

/** A kiosk paired to the estate with a guard on shift at `gateId`. */
export async function pairedKioskOnShift(url: string, admin: ApiClient, estateId: string, gateId: string, guardId: string, name = 'Kios') {
  const device = await admin.post(`/estates/${estateId}/devices`, { name, kind: 'kiosk' });
  if (device.status !== 201) throw new Error(`device: ${device.status} ${device.text}`);
  const paired = await apiClient(url).post(`/estates/${estateId}/devices/pair`, { pairing_code: device.body.pairing_code });
  if (paired.status !== 200) throw new Error(`pair: ${paired.status} ${paired.text}`);
  const kiosk = apiClient(url).withBearer(paired.body.token);
  const shift = await kiosk.post(`/estates/${estateId}/gate/shifts`, { gate_id: gateId, guard_id: guardId, pin: GUARD_PIN });
  if (shift.status !== 201) throw new Error(`shift: ${shift.status} ${shift.text}`);
  return { kiosk, deviceId: device.body.device.id as string };
}

export async function gatePostWorld(estateName?: string, server?: TestServer): Promise<GatePostWorld> {
  server ??= await startTestServer();
  const { client: admin, estateId } = await setupEstate(server.url, estateName);
  const unitCode = 'A-12';
  const unitId = await addUnit(admin, estateId, unitCode);
  const gate = await admin.post(`/estates/${estateId}/gates`, { name: 'Gerbang Utama' });
  const guard = await admin.post(`/estates/${estateId}/gate/guards`, { name: 'Pak Joko', pin: GUARD_PIN });
  const { kiosk, deviceId } = await pairedKioskOnShift(server.url, admin, estateId, gate.body.id, guard.body.id);
  return {
    server,
    admin,
    estateId,
    unitId,
    unitCode,
    gateId: gate.body.id,
    guardId: guard.body.id,
    kiosk,
    deviceId,
    base: `/estates/${estateId}`,
  };
}

/** A resident of `unitId` logged in to the portal. */
export async function residentOf(w: GatePostWorld, unitId = w.unitId, name = 'Budi Santoso') {
  const resident = await w.admin.post(`${w.base}/residents`, { name, unit_id: unitId, relation: 'owner', phone: '081234567890' });
  if (resident.status !== 201) throw new Error(`resident: ${resident.status} ${resident.text}`);
  const user = await userWithRole(w.server.url, w.admin, w.estateId, 'resident', { resident_id: resident.body.id });
  return { client: user.client, residentId: resident.body.id as string };
}

export function hoursFromNow(h: number): string {
  return new Date(Date.now() + h * 3_600_000).toISOString();
}
