// A setting removed and written again is the same row brought back: the change reaches the audit log and the outbox
// like any other, so another site learns the setting is live again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { readSetting, removeSetting, writeSetting } from '../../server/settings/settings-store.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';
import { createEstate, storeFor } from './fixtures.ts';

describe.each(BACKENDS)('estate settings journal on $name', (backend) => {
  let opened: OpenedBackend;
  beforeAll(async () => {
    opened = await backend.open();
    await migrateToLatest(opened.db);
  });
  afterAll(async () => opened?.dispose());

  it('restoring a removed setting writes its audit and outbox rows with the row as it was and as it is', async () => {
    const knex = opened.db.knex;
    const estateId = await createEstate(knex, 'Griya Pengaturan');
    const store = await storeFor(knex, estateId);
    const schema = z.object({ host: z.string() });
    await writeSetting(store, 'printer', { host: '10.0.0.5' });
    await removeSetting(store, 'printer');
    expect(await readSetting(store, 'printer', schema)).toBeNull();
    await writeSetting(store, 'printer', { host: '10.0.0.9' });
    expect(await readSetting(store, 'printer', schema)).toEqual({ host: '10.0.0.9' });

    const row = await knex('estate_settings').where({ estate_id: estateId, key: 'printer' }).first();
    expect(row.deleted_at).toBeNull();
    const audit = await knex('audit_log').where({ estate_id: estateId, entity_id: row.id }).orderBy('created_at').orderBy('id');
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'settings.printer.create',
      'settings.printer.delete',
      'settings.printer.restore',
    ]);
    const restore = audit[2];
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect(parse(restore.before).deleted_at).not.toBeNull();
    expect(parse(restore.after)).toMatchObject({ deleted_at: null, value: JSON.stringify({ host: '10.0.0.9' }) });
    const outbox = await knex('outbox').where({ estate_id: estateId, row_id: row.id }).orderBy('hlc');
    expect(outbox.map((o: { op: string }) => o.op).at(-1)).toBe('update');
    expect(outbox).toHaveLength(3);
  });
});
