import { describe, expect, it } from 'vitest';
import { cutPushBatches, type OutboxEntry } from './change-log.ts';
import type { SyncChange } from './sync-change.ts';

const HLC = '000000000000001-00000-site-a';

function entry(id: string, rowId: string, table = 'units'): OutboxEntry {
  return { id, table_name: table, row_id: rowId, op: 'insert', hlc: HLC, site_id: 'site-a' };
}

function change(rowId: string, size: number, table = 'units'): SyncChange {
  return { table, row_id: rowId, op: 'insert', hlc: HLC, site_id: 'site-a', row: { id: rowId, estate_id: 'e', notes: 'x'.repeat(size) } };
}

describe('cutPushBatches', () => {
  it('cuts by encoded size, sends a row larger than the limit alone, and keeps ids for the same rows', () => {
    const entries = [entry('o1', 'r1'), entry('o2', 'r2'), entry('o3', 'r3'), entry('o4', 'r1'), entry('o5', 'r4')];
    const changes = [change('r1', 300), change('r2', 300), change('r3', 5000), change('r4', 10)];
    const batches = cutPushBatches(entries, changes, 1000);
    expect(batches.map((b) => b.changes)).toEqual([2, 1, 1]);
    expect(batches.map((b) => b.entry_ids)).toEqual([['o1', 'o2', 'o4'], ['o3'], ['o5']]);
    for (const b of batches) {
      const body = JSON.parse(b.body);
      expect(body.batch_id).toBe(b.batch_id);
      expect(body.changes).toHaveLength(b.changes);
      if (b.changes > 1) expect(Buffer.byteLength(b.body)).toBeLessThan(1100);
    }
    expect(new Set(batches.map((b) => b.batch_id)).size).toBe(3);
    expect(cutPushBatches(entries, changes, 1000).map((b) => b.batch_id)).toEqual(batches.map((b) => b.batch_id));
  });

  it('acknowledges entries whose row is gone with the first batch, and makes one batch when nothing else is left', () => {
    const batches = cutPushBatches([entry('o1', 'gone'), entry('o2', 'r2')], [change('r2', 10)], 1000);
    expect(batches.map((b) => b.entry_ids)).toEqual([['o1', 'o2']]);
    const only = cutPushBatches([entry('o1', 'gone')], [], 1000);
    expect(only).toHaveLength(1);
    expect(only[0]).toMatchObject({ changes: 0, entry_ids: ['o1'] });
  });
});
