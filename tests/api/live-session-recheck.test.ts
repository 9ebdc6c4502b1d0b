import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiveStream, type LiveStream } from '../support/live-stream.ts';
import { startTestServer, userWithRole, type TestServer } from '../support/server.ts';
import { addUnit, gatePostWorld, type GatePostWorld } from './gate-post-fixture.ts';

/**
 * An open live-updates stream asks again whether the credential that opened it still holds: on a timer (injected
 * short here) and before it passes on an event. Signed out, revoked or no longer a member, the stream ends, and the
 * screen's reconnect is refused with 401 (or 404 for an estate it no longer belongs to).
 */
const ended = (stream: LiveStream, withinMs: number) =>
  Promise.race([stream.ended.then(() => 'ended'), new Promise<string>((resolve) => setTimeout(() => resolve('still open'), withinMs))]);

async function membershipOf(server: TestServer, estateId: string, userId: string): Promise<string> {
  const row = await server.db.knex('memberships').where({ estate_id: estateId, user_id: userId }).whereNull('deleted_at').first('id');
  return row.id as string;
}

describe('a live stream checks its session again on a timer', () => {
  let server: TestServer;
  let w: GatePostWorld;
  const streams: LiveStream[] = [];
  beforeAll(async () => {
    server = await startTestServer({ options: { liveRecheckMs: 200, loginRateLimitPerMinute: 1000 } });
    w = await gatePostWorld(undefined, server);
  }, 60_000);
  afterAll(async () => {
    for (const s of streams) s.close();
    await server?.close();
  });

  it('ends the stream of a screen that signed out, and its reconnect gets 401', async () => {
    const treasurer = await userWithRole(server.url, w.admin, w.estateId, 'treasurer');
    const stream = await openLiveStream(treasurer.client, w.estateId);
    streams.push(stream);
    expect(stream.status).toBe(200);
    const cookie = treasurer.client.cookie;
    expect(await ended(stream, 600)).toBe('still open');

    expect((await treasurer.client.post('/auth/logout')).status).toBeLessThan(300);
    expect(await ended(stream, 3_000)).toBe('ended');
    treasurer.client.cookie = cookie;
    expect((await openLiveStream(treasurer.client, w.estateId)).status).toBe(401);
  });

  it('ends the stream of a member whose membership is deactivated', async () => {
    const staff = await userWithRole(server.url, w.admin, w.estateId, 'treasurer');
    const stream = await openLiveStream(staff.client, w.estateId);
    streams.push(stream);
    expect(stream.status).toBe(200);
    const membershipId = await membershipOf(server, w.estateId, staff.userId);
    expect((await w.admin.post(`${w.base}/memberships/${membershipId}/deactivate`)).status).toBe(200);
    expect(await ended(stream, 3_000)).toBe('ended');
    expect((await openLiveStream(staff.client, w.estateId)).status).not.toBe(200);
  });

  it("ends a kiosk's stream when its device is revoked", async () => {
    const stream = await openLiveStream(w.kiosk, w.estateId);
    streams.push(stream);
    expect(stream.status).toBe(200);
    expect((await w.admin.post(`${w.base}/devices/${w.deviceId}/revoke`)).status).toBe(200);
    expect(await ended(stream, 3_000)).toBe('ended');
  });
});

describe('a live stream checks its session again before passing on an event', () => {
  let server: TestServer;
  let w: GatePostWorld;
  const streams: LiveStream[] = [];
  beforeAll(async () => {
    // The timer alone would not notice within this test.
    server = await startTestServer({ options: { liveRecheckMs: 600_000, loginRateLimitPerMinute: 1000 } });
    w = await gatePostWorld(undefined, server);
  }, 60_000);
  afterAll(async () => {
    for (const s of streams) s.close();
    await server?.close();
  });

  it('a signed-out screen hears no change made after it signed out', async () => {
    const treasurer = await userWithRole(server.url, w.admin, w.estateId, 'treasurer');
    const stream = await openLiveStream(treasurer.client, w.estateId);
    streams.push(stream);
    const other = await openLiveStream(w.admin, w.estateId);
    streams.push(other);
    // Past the freshness of the check made when the stream opened.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect((await treasurer.client.post('/auth/logout')).status).toBeLessThan(300);

    const unit = await addUnit(w.admin, w.estateId, 'B-9');
    expect((await w.admin.post(`${w.base}/passes`, { kind: 'guest', unit_id: unit, name: 'Tamu Sesudah' })).status).toBe(201);
    await other.next((e) => e.event === 'change' && e.data.unit_id === unit);
    expect(await ended(stream, 3_000)).toBe('ended');
    expect(stream.events.filter((e) => e.event === 'change')).toEqual([]);
  });
});
