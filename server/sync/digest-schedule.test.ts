import { describe, expect, it } from 'vitest';
import { digestComparisonDue } from './digests.ts';

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

describe('when a cycle that moved something compares digests', () => {
  const synced = { last_sync_at: '2026-12-01T01:00:00.000Z', digest_diverged: '[]' };

  it("not in the link's first upload, whatever the interval", () => {
    expect(digestComparisonDue({ last_sync_at: null, digest_checked_at: null, digest_diverged: null }, at('2026-12-01T01:00:00Z'), 0)).toBe(
      false,
    );
  });

  it('after the first upload, when never compared', () => {
    expect(digestComparisonDue({ ...synced, digest_checked_at: null }, at('2026-12-01T01:00:00Z'), 15 * MIN)).toBe(true);
  });

  it('at most once per interval', () => {
    const link = { ...synced, digest_checked_at: '2026-12-01T01:00:00.000Z' };
    expect(digestComparisonDue(link, at('2026-12-01T01:14:59.999Z'), 15 * MIN)).toBe(false);
    expect(digestComparisonDue(link, at('2026-12-01T01:15:00.000Z'), 15 * MIN)).toBe(true);
    expect(digestComparisonDue(link, at('2026-12-01T01:00:00.000Z'), 0)).toBe(true);
  });

  it('after every such cycle while an alert stands, so a repaired table clears at once', () => {
    const alerted = { last_sync_at: synced.last_sync_at, digest_checked_at: '2026-12-01T01:00:00.000Z', digest_diverged: '["units"]' };
    expect(digestComparisonDue(alerted, at('2026-12-01T01:00:01Z'), 15 * MIN)).toBe(true);
  });
});
