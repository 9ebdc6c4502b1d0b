import { expect } from 'vitest';
import { setupEstate, userWithRole, type ApiClient } from '../../support/server.ts';

export interface Login {
  email: string;
  password: string;
}

export interface BilledUnit {
  admin: ApiClient;
  estateId: string;
  unitId: string;
  /** The treasurer's login and API client. */
  treasurer: Login & { client: ApiClient };
  /** The login of the unit's owner, a resident with a portal account. */
  resident: Login;
}

/**
 * A new estate with one unit billed for some months, its owner signed up for the portal and a treasurer: where the
 * online-payment walk-throughs start.
 */
export async function billedUnit(
  serverUrl: string,
  unit: { code: string; block: string },
  bills: { amount: number; periods: Array<[period: string, due: string]> },
  residentName: string,
): Promise<BilledUnit> {
  const { client: admin, estateId } = await setupEstate(serverUrl);
  const e = (p: string) => `/estates/${estateId}${p}`;
  const made = await admin.post(e('/units'), unit);
  expect(made.status, made.text).toBe(201);
  const unitId = made.body.id as string;
  for (const [period, due] of bills.periods) {
    const charged = await admin.post(e('/charges'), { name: 'Iuran IPL', amount: bills.amount, period, due_date: due, unit_ids: [unitId] });
    expect(charged.status, charged.text).toBe(201);
  }
  const owner = await admin.post(e('/residents'), { name: residentName, unit_id: unitId, relation: 'owner' });
  expect(owner.status, owner.text).toBe(201);
  const r = await userWithRole(serverUrl, admin, estateId, 'resident', { resident_id: owner.body.id });
  const t = await userWithRole(serverUrl, admin, estateId, 'treasurer');
  return {
    admin,
    estateId,
    unitId,
    treasurer: { email: t.email, password: t.password, client: t.client },
    resident: { email: r.email, password: r.password },
  };
}
