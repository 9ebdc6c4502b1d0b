import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HybridLogicalClock, MAX_REMOTE_LEAD_MS, decodeHlc } from './hlc.ts';

describe('HybridLogicalClock', () => {
  it('is strictly increasing even when the wall clock goes backwards', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_000_000_000_000 }), { minLength: 1, maxLength: 50 }), (walls) => {
        let i = 0;
        const clock = new HybridLogicalClock('site-a', () => walls[Math.min(i++, walls.length - 1)]);
        const stamps = walls.map(() => clock.tick());
        for (let k = 1; k < stamps.length; k++) expect(stamps[k] > stamps[k - 1]).toBe(true);
      }),
    );
  });

  it('orders local events after a received remote timestamp from a clock running ahead', () => {
    const local = new HybridLogicalClock('local', () => 1_000);
    const remote = new HybridLogicalClock('remote', () => 5_000);
    const r = remote.tick();
    const merged = local.receive(r);
    expect(merged > r.replace('remote', 'local')).toBe(true);
    expect(decodeHlc(local.tick()).millis).toBe(5_000);
  });

  it('follows a remote clock up to a week ahead, and stops a week past its own wall clock beyond that', () => {
    const local = new HybridLogicalClock('local', () => 1_000);
    const dayAhead = new HybridLogicalClock('remote', () => 1_000 + 86_400_000).tick();
    expect(local.receiveRemote(dayAhead)).toBe(false);
    expect(local.tick() > dayAhead.replace('remote', 'local')).toBe(true);

    const capped = new HybridLogicalClock('local', () => 1_000);
    const yearsAhead = new HybridLogicalClock('remote', () => 1_000 + 4 * 365 * 86_400_000).tick();
    expect(capped.receiveRemote(yearsAhead)).toBe(true);
    expect(decodeHlc(capped.tick()).millis).toBe(1_000 + MAX_REMOTE_LEAD_MS);
    // Its own history is not capped: a restart resumes after every stamp it issued.
    capped.receive(yearsAhead);
    expect(decodeHlc(capped.tick()).millis).toBe(1_000 + 4 * 365 * 86_400_000);
  });
});
