import { describe, expect, it } from 'vitest';
import { fieldVersions, mergeFields } from './field-merge.ts';

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
});
