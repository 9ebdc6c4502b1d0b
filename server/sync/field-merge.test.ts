import { describe, expect, it } from 'vitest';
import { fieldVersions, mergeFields } from './field-merge.ts';
import { SET_ONCE_COLUMNS, setOnceIncomingWins } from './merge-policy.ts';

const h = (ms: number, site: string) => `${String(ms).padStart(15, '0')}-00000-${site}`;

describe('per-field merge', () => {
  const columns = ['name', 'phone'];
  const base = { hlc: h(1, 'D'), site_id: 'D', columns: null };

  it('gives each column the newest outbox row naming it, and the newest version from another site', () => {
    const v = fieldVersions(columns, [
      base,
      { hlc: h(3, 'C'), site_id: 'C', columns: '["phone"]' },
      { hlc: h(5, 'D'), site_id: 'D', columns: '["name"]' },
    ]);
    expect(v.get('name')).toEqual({ hlc: h(5, 'D'), site: 'D', seen: '', insert: false });
    expect(v.get('phone')).toEqual({ hlc: h(3, 'C'), site: 'C', seen: h(1, 'D'), insert: false });
  });

  it('takes a column only the other side changed and keeps one only this side changed', () => {
    const local = fieldVersions(columns, [base, { hlc: h(4, 'C'), site_id: 'C', columns: '["name"]' }]);
    const merge = mergeFields({
      incoming: { id: 'r', name: 'Budi', phone: '082' },
      held: { id: 'r', name: 'Budi Santosa', phone: '081' },
      incomingHlc: h(3, 'D'),
      incomingSite: 'D',
      incomingFields: { name: h(1, 'D'), phone: h(3, 'D') },
      incomingSeen: { name: '', phone: '' },
      local,
    });
    expect(merge.patch).toEqual({ phone: '082' });
    expect(merge.conflicts).toEqual([]);
  });

  it('gives a column both changed while apart to the later change and reports the losing value', () => {
    const local = fieldVersions(columns, [base, { hlc: h(4, 'C'), site_id: 'C', columns: '["phone"]' }]);
    const args = {
      incoming: { id: 'r', phone: '083' },
      held: { id: 'r', phone: '084' },
      incomingSite: 'D',
      incomingSeen: { phone: '' },
      local,
    };
    const older = mergeFields({ ...args, incomingHlc: h(3, 'D'), incomingFields: { phone: h(3, 'D') } });
    expect(older.patch).toEqual({});
    expect(older.conflicts).toEqual([expect.objectContaining({ column: 'phone', winner: 'held', incomingValue: '083', heldValue: '084' })]);
    const newer = mergeFields({ ...args, incomingHlc: h(6, 'D'), incomingFields: { phone: h(6, 'D') } });
    expect(newer.patch).toEqual({ phone: '083' });
    expect(newer.conflicts).toEqual([expect.objectContaining({ winner: 'incoming', heldValue: '084' })]);
    // The sender had seen this side's version before changing it again: a later edit, not a conflict.
    expect(
      mergeFields({ ...args, incomingHlc: h(6, 'D'), incomingFields: { phone: h(6, 'D') }, incomingSeen: { phone: h(4, 'C') } }).conflicts,
    ).toEqual([]);
    // The same row inserted on both sites is one fact.
    expect(
      mergeFields({ ...args, incomingHlc: h(6, 'D'), incomingFields: { phone: h(6, 'D') }, incomingIsInsert: true }).conflicts,
    ).toEqual([]);
  });

  it('keeps an acknowledgement against a later insert without one, and of two acknowledgements the first', () => {
    const once = SET_ONCE_COLUMNS.ledger_notices;
    const open = { id: 'n', amount: 5, acknowledged_at: null, acknowledged_by: null };
    const read = { id: 'n', amount: 5, acknowledged_at: '2026-11-30T01:00:00.000Z', acknowledged_by: 'bendahara' };
    const merge = (incoming: Record<string, unknown>, held: Record<string, unknown>, incomingHlc: string, heldHlc: string) =>
      mergeFields({
        incoming,
        held,
        incomingHlc,
        incomingSite: 'C',
        incomingIsInsert: incoming === open,
        local: fieldVersions(['amount', 'acknowledged_at', 'acknowledged_by'], [{ hlc: heldHlc, site_id: 'D', columns: null }]),
        setOnce: { ...once, incomingWins: setOnceIncomingWins(once, incoming, held) },
      });
    // The other site's own insert, later than the acknowledgement: nothing to take.
    expect(merge(open, read, h(9, 'C'), h(5, 'D'))).toEqual({ patch: {}, taken: new Map(), conflicts: [] });
    // The acknowledgement reaching a site whose own unacknowledged insert is later: taken, with its companion.
    expect(merge(read, open, h(5, 'C'), h(9, 'D')).patch).toEqual({
      acknowledged_at: read.acknowledged_at,
      acknowledged_by: 'bendahara',
    });
    // Two treasurers acknowledging apart: the earlier acknowledgement stands on both sites, whatever the versions.
    const later = { ...read, acknowledged_at: '2026-11-30T02:00:00.000Z', acknowledged_by: 'ketua' };
    expect(merge(later, read, h(9, 'C'), h(5, 'D')).patch).toEqual({});
    expect(merge(read, later, h(5, 'C'), h(9, 'D')).patch).toEqual({
      acknowledged_at: read.acknowledged_at,
      acknowledged_by: 'bendahara',
    });
  });
});
