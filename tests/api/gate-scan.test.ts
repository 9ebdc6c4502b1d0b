// POST /gate/scan: every verdict reason, single use under concurrent scans, forged and foreign payloads, code guessing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSignedToken, generateEstateKeyPair } from '../../server/passes/pass-payload.ts';
import { apiClient, type TestServer } from '../support/server.ts';
import { gatePostWorld, hoursFromNow, pairedKioskOnShift, GUARD_PIN, type GatePostWorld } from './gate-post-fixture.ts';

let w: GatePostWorld;
let other: GatePostWorld;

beforeAll(async () => {
  w = await gatePostWorld();
  other = await gatePostWorld('Perumahan Lain');
});
afterAll(async () => {
  await w?.server.close();
  await other?.server.close();
});

async function guestPass(world: GatePostWorld, extra: Record<string, unknown> = {}) {
  const res = await world.admin.post(`${world.base}/passes`, {
    kind: 'guest',
    unit_id: world.unitId,
    name: 'Siti Aminah',
    purpose: 'Arisan',
    valid_from: hoursFromNow(-1),
    valid_until: hoursFromNow(3),
    ...extra,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const scan = (kiosk = w.kiosk, body: Record<string, unknown>) => kiosk.post(`${w.base}/gate/scan`, body);

function tamper(payload: string, at: number): string {
  const ch = payload[at] === 'A' ? 'B' : 'A';
  return payload.slice(0, at) + ch + payload.slice(at + 1);
}

describe('scan verdicts', () => {
  it('accepts a single-use guest pass once with name, unit and purpose, then says already_inside, and used_up after the exit', async () => {
    const pass = await guestPass(w);
    const first = await scan(w.kiosk, { payload: pass.qr_payload, direction: 'in' });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({
      verdict: 'accepted',
      reason: null,
      pass: { name: 'Siti Aminah', unit_code: 'A-12', purpose: 'Arisan' },
    });
    expect(first.body.entry_id).toMatch(/^[0-9a-f-]{36}$/);
    const second = await scan(w.kiosk, { payload: pass.qr_payload, direction: 'in' });
    // The guest has not left: the kiosk offers the exit of that visit instead of calling the pass used.
    expect(second.body).toMatchObject({
      verdict: 'rejected',
      reason: 'already_inside',
      visit_id: first.body.visit_id,
      pass: { name: 'Siti Aminah' },
    });
    const log = await w.admin.get(`${w.base}/access-log?limit=1`);
    expect(log.body.items[0]).toMatchObject({ verdict: 'rejected', reason: 'already_inside', visit_id: first.body.visit_id });
    const out = await w.kiosk.post(`${w.base}/gate/visits/${second.body.visit_id}/checkout`, {});
    expect(out.status, out.text).toBe(200);
    expect(out.body.visit.exited_at).toEqual(expect.any(String));
    const third = await scan(w.kiosk, { payload: pass.qr_payload, direction: 'in' });
    expect(third.body).toMatchObject({ verdict: 'rejected', reason: 'used_up', visit_id: null });
    expect((await w.admin.get(`${w.base}/passes/${pass.id}`)).body.uses).toBe(1);
  });

  it('accepts the short numeric code like the QR', async () => {
    const pass = await guestPass(w);
    expect(pass.code).toMatch(/^[0-9]{8}$/);
    const res = await scan(w.kiosk, { code: pass.code });
    expect(res.body).toMatchObject({ verdict: 'accepted', pass: { id: pass.id } });
  });

  it('says expired, not_yet_valid and revoked', async () => {
    const expired = await guestPass(w, { valid_from: hoursFromNow(-5), valid_until: hoursFromNow(-1) });
    expect((await scan(w.kiosk, { payload: expired.qr_payload })).body).toMatchObject({ verdict: 'rejected', reason: 'expired' });
    const early = await guestPass(w, { valid_from: hoursFromNow(2), valid_until: hoursFromNow(5) });
    expect((await scan(w.kiosk, { payload: early.qr_payload })).body).toMatchObject({ verdict: 'rejected', reason: 'not_yet_valid' });
    const revoked = await guestPass(w);
    expect((await w.admin.post(`${w.base}/passes/${revoked.id}/revoke`)).body.status).toBe('revoked');
    expect((await scan(w.kiosk, { payload: revoked.qr_payload })).body).toMatchObject({ verdict: 'rejected', reason: 'revoked' });
    // Nothing was counted against any of them.
    const after = await w.admin.get(`${w.base}/passes/${early.id}`);
    expect(after.body.uses).toBe(0);
  });

  it('rejects every edited byte of a payload as forged, and a token signed with another key', async () => {
    const pass = await guestPass(w, { max_uses: 100 });
    // Characters 4.. encode: type (1 byte), estate id (16), pass id (16), signature (64), 4 characters per 3 bytes.
    for (let at = 4; at < pass.qr_payload.length; at++) {
      const res = await scan(w.kiosk, { payload: tamper(pass.qr_payload, at) });
      expect(res.status).toBe(200);
      expect(res.body, `edit at ${at}`).toMatchObject({ verdict: 'rejected', pass: null });
      // An edited estate id (characters 5–26, bits 8–135) names an estate whose key this server does not hold.
      if (at >= 6 && at <= 25) expect(res.body.reason, `edit at ${at}`).toBe('other_estate');
      else if (at === 5 || at === 26) expect(['other_estate', 'forged']).toContain(res.body.reason);
      else expect(res.body.reason, `edit at ${at}`).toBe('forged');
    }
    const wrongKey = encodeSignedToken(
      { subject: 'pass', estateId: w.estateId, subjectId: pass.id },
      generateEstateKeyPair().privateKeyPem,
    );
    expect((await scan(w.kiosk, { payload: wrongKey })).body.reason).toBe('forged');
    expect((await scan(w.kiosk, { payload: 'KL1.short' })).body.reason).toBe('forged');
    expect((await w.admin.get(`${w.base}/passes/${pass.id}`)).body.uses).toBe(0);
  });

  it("says other_estate for another estate's genuine pass", async () => {
    const foreign = await guestPass(other);
    const res = await scan(w.kiosk, { payload: foreign.qr_payload });
    expect(res.body).toMatchObject({ verdict: 'rejected', reason: 'other_estate', pass: null });
    // The other estate's own kiosk accepts it.
    expect((await other.kiosk.post(`${other.base}/gate/scan`, { payload: foreign.qr_payload })).body.verdict).toBe('accepted');
  });

  it('says unknown_code for codes and text nobody issued', async () => {
    expect((await scan(w.kiosk, { code: '10000000' })).body).toMatchObject({ verdict: 'rejected', reason: 'unknown_code' });
    expect((await scan(w.kiosk, { payload: 'https://example.com/something' })).body.reason).toBe('unknown_code');
    const signedUnknown = encodeSignedToken(
      { subject: 'pass', estateId: w.estateId, subjectId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' },
      await keyOf(w),
    );
    expect((await scan(w.kiosk, { payload: signedUnknown })).body.reason).toBe('unknown_code');
  });

  it('lets a guest out on the same pass and the exit closes the visit', async () => {
    const pass = await guestPass(w);
    const entry = await scan(w.kiosk, { payload: pass.qr_payload, direction: 'in' });
    let inside = await w.kiosk.get(`${w.base}/gate/inside`);
    expect(inside.body.items.map((v: { id: string }) => v.id)).toContain(entry.body.visit_id);
    const exit = await scan(w.kiosk, { payload: pass.qr_payload, direction: 'out' });
    expect(exit.body).toMatchObject({ verdict: 'accepted', direction: 'out', visit_id: entry.body.visit_id });
    inside = await w.kiosk.get(`${w.base}/gate/inside`);
    expect(inside.body.items.map((v: { id: string }) => v.id)).not.toContain(entry.body.visit_id);
  });

  it('names guard and gate on every log row, accepted or rejected', async () => {
    const pass = await guestPass(w);
    const accepted = await scan(w.kiosk, { payload: pass.qr_payload });
    const rejected = await scan(w.kiosk, { payload: pass.qr_payload });
    const log = await w.admin.get(`${w.base}/access-log?limit=500`);
    for (const entryId of [accepted.body.entry_id, rejected.body.entry_id]) {
      const row = log.body.items.find((r: { id: string }) => r.id === entryId);
      expect(row).toMatchObject({
        guard_name: 'Pak Joko',
        gate_name: 'Gerbang Utama',
        gate_id: w.gateId,
        device_id: w.deviceId,
        person_name: 'Siti Aminah',
      });
    }
    expect(log.body.items.find((r: { id: string }) => r.id === rejected.body.entry_id)).toMatchObject({
      verdict: 'rejected',
      reason: 'already_inside',
    });
  });
});

async function keyOf(world: GatePostWorld): Promise<string> {
  // The estate key as the server stores it: read from the test database file, as an attacker with the file could.
  const row = await world.server.db.knex('gate_signing_keys').where({ estate_id: world.estateId }).first();
  return row.private_key_pem;
}

describe('single use under concurrent scans', () => {
  it('accepts a single-use pass exactly once when two gates scan it at the same moment', async () => {
    const gate2 = await w.admin.post(`${w.base}/gates`, { name: 'Gerbang Belakang' });
    const guard2 = await w.admin.post(`${w.base}/gate/guards`, { name: 'Pak Slamet', pin: GUARD_PIN });
    const { kiosk: kiosk2 } = await pairedKioskOnShift(w.server.url, w.admin, w.estateId, gate2.body.id, guard2.body.id, 'Kios belakang');
    for (let round = 0; round < 15; round++) {
      const pass = await guestPass(w);
      const [a, b] = await Promise.all([
        scan(w.kiosk, { payload: pass.qr_payload, direction: 'in' }),
        scan(kiosk2, { payload: pass.qr_payload, direction: 'in' }),
      ]);
      const verdicts = [a.body.verdict, b.body.verdict].sort();
      expect(verdicts, `round ${round}`).toEqual(['accepted', 'rejected']);
      // The loser sees either the count already spent or, once the winner's visit is committed, the guest inside.
      const lost = a.body.verdict === 'rejected' ? a.body : b.body;
      expect(['used_up', 'already_inside']).toContain(lost.reason);
      const after = await w.admin.get(`${w.base}/passes/${pass.id}`);
      expect(after.body.uses).toBe(1);
    }
  });

  it('counts a three-use pass to exactly three under a burst of simultaneous scans', async () => {
    const pass = await guestPass(w, { max_uses: 3 });
    const results = await Promise.all(Array.from({ length: 8 }, () => scan(w.kiosk, { payload: pass.qr_payload })));
    expect(results.filter((r) => r.body.verdict === 'accepted')).toHaveLength(3);
    expect(results.filter((r) => ['used_up', 'already_inside'].includes(r.body.reason))).toHaveLength(5);
  });
});

describe('numeric code guessing', () => {
  it('locks a device out after consecutive wrong codes, even for a right code, without affecting other devices', async () => {
    const world = await gatePostWorld('Perumahan Brute', undefined);
    try {
      const pass = await world.admin.post(`${world.base}/passes`, {
        kind: 'temporary',
        unit_id: world.unitId,
        name: 'Kurir',
        valid_until: hoursFromNow(4),
      });
      expect(pass.body.code).toMatch(/^[0-9]{6}$/);
      for (let i = 0; i < 5; i++) {
        const guess = String(100000 + i * 7919);
        if (guess === pass.body.code) continue;
        expect((await world.kiosk.post(`${world.base}/gate/scan`, { code: guess })).body.reason).toBe('unknown_code');
      }
      const locked = await world.kiosk.post(`${world.base}/gate/scan`, { code: pass.body.code });
      expect(locked.body).toMatchObject({ verdict: 'rejected', reason: 'throttled', pass: null });
      // A QR scan on the same device still works: the lockout guards guessable codes only.
      const qrPass = await world.admin.post(`${world.base}/passes`, { kind: 'guest', unit_id: world.unitId, name: 'Tamu QR' });
      expect((await world.kiosk.post(`${world.base}/gate/scan`, { payload: qrPass.body.qr_payload })).body.verdict).toBe('accepted');
      // Another kiosk is not locked out by this one's guessing.
      const { kiosk: second } = await pairedKioskOnShift(
        world.server.url,
        world.admin,
        world.estateId,
        world.gateId,
        world.guardId,
        'Kios 2',
      );
      expect((await second.post(`${world.base}/gate/scan`, { code: pass.body.code })).body.verdict).toBe('accepted');
      // The throttled attempt was logged too.
      const log = await world.admin.get(`${world.base}/access-log?verdict=rejected&limit=100`);
      expect(log.body.items.some((r: { reason: string }) => r.reason === 'throttled')).toBe(true);
    } finally {
      await world.server.close();
    }
  });

  it('rate-limits a device typing many codes in a minute, right or wrong', async () => {
    const world = await gatePostWorld('Perumahan Cepat');
    try {
      const pass = await world.admin.post(`${world.base}/passes`, { kind: 'guest', unit_id: world.unitId, name: 'Tamu', max_uses: 1000 });
      const reasons: (string | null)[] = [];
      for (let i = 0; i < 21; i++) reasons.push((await world.kiosk.post(`${world.base}/gate/scan`, { code: pass.body.code })).body.reason);
      expect(reasons.slice(0, 20).every((r) => r === null)).toBe(true);
      expect(reasons[20]).toBe('throttled');
    } finally {
      await world.server.close();
    }
  });
});

describe('who may scan, and bad input', () => {
  it('needs a device on shift, a known gate and a well-formed body; never a 5xx', async () => {
    const device = await w.admin.post(`${w.base}/devices`, { name: 'Tanpa shift', kind: 'kiosk' });
    const paired = await apiClient(w.server.url).post(`${w.base}/devices/pair`, { pairing_code: device.body.pairing_code });
    const idle = apiClient(w.server.url).withBearer(paired.body.token);
    const noShift = await idle.post(`${w.base}/gate/scan`, { code: '12345678' });
    expect(noShift.status).toBe(409);
    expect(noShift.body.error.code).toBe('SHIFT_REQUIRED');

    expect((await scan(w.kiosk, {})).status).toBe(400);
    expect((await scan(w.kiosk, { payload: 'KL1.x', code: '123456' })).status).toBe(400);
    expect((await scan(w.kiosk, { payload: 'x'.repeat(5000) })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await scan(w.kiosk, { payload: 123 })).status).toBe(400);
    expect((await scan(w.kiosk, { payload: 'KL1.abc', direction: 'sideways' })).status).toBe(400);
    const wrongGate = await scan(w.kiosk, { payload: 'KL1.abc', gate_id: other.gateId });
    expect(wrongGate.status).toBe(409);
    expect(wrongGate.body.error.code).toBe('GATE_MISMATCH');
    const raw = await fetch(`${w.server.url}/api/v1${w.base}/gate/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${w.kiosk.bearer}` },
      body: '{"payload":',
    });
    expect(raw.status).toBe(400);

    expect((await apiClient(w.server.url).post(`${w.base}/gate/scan`, { code: '12345678' })).status).toBe(401);
    // A kiosk of one estate cannot scan at another estate.
    expect((await w.kiosk.post(`${other.base}/gate/scan`, { code: '12345678' })).status).toBe(404);
  });

  it('lets a guard or administrator signed in with their own account scan at a named gate', async () => {
    const pass = await guestPass(w);
    const missingGate = await w.admin.post(`${w.base}/gate/scan`, { payload: pass.qr_payload });
    expect(missingGate.status).toBe(400);
    const res = await w.admin.post(`${w.base}/gate/scan`, { payload: pass.qr_payload, gate_id: w.gateId });
    expect(res.body.verdict).toBe('accepted');
    const row = (await w.admin.get(`${w.base}/access-log?limit=1`)).body.items[0];
    expect(row).toMatchObject({ id: res.body.entry_id, gate_name: 'Gerbang Utama', guard_name: 'Ibu Ketua' });
  });
});
