import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HybridLogicalClock, decodeHlc } from './hlc.ts';

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
});
