import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { writeAuditAndOutbox, type ScopedStore } from '../db/scoped-store.ts';
import { hashPassword, randomToken } from '../auth/passwords.ts';
import { insertMembership } from '../estates/service.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import { whatsappDigits } from '../residents/phone.ts';
import type { z } from 'zod';
import type { userCreateBody } from './schemas.ts';

const INVITE_DAYS = 14;

export function inviteLinks(publicUrl: string, estateName: string, code: string, name: string, phone: string | null) {
  const url = `${publicUrl}/portal/invite/${code}`;
  const text = `Halo ${name}, Anda diundang ke portal warga ${estateName} di Klustera. Buka ${url} untuk membuat kata sandi. Kode undangan: ${code}`;
  const whatsapp_url = `https://wa.me/${phone ? whatsappDigits(phone) : ''}?text=${encodeURIComponent(text)}`;
  return { code, url, whatsapp_url };
}

/**
 * Adds a person to the estate with a role. With a password the account is active at once; without one an invite is
 * created that the person accepts on the portal by choosing a password.
 */
export async function createEstateUser(store: ScopedStore, estate: { id: string; name: string }, publicUrl: string, input: z.infer<typeof userCreateBody>) {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return store.transaction(async (tx) => {
    const knex = tx.knex as Knex.Transaction;
    if (input.resident_id) await tx.get('residents', input.resident_id, 'Penghuni');
    const byEmail = input.email ? await knex('users').where({ email: input.email }).whereNull('deleted_at').first() : undefined;
    const byPhone = input.phone ? await knex('users').where({ phone: input.phone }).whereNull('deleted_at').first() : undefined;
    if (byEmail && byPhone && byEmail.id !== byPhone.id) {
      throw new ConflictError('DUPLICATE', 'Email dan nomor HP milik dua akun berbeda.', 'phone');
    }
    let user = byEmail ?? byPhone;
    const at = nowIso();
    if (!user) {
      user = {
        id: newId(), name: input.name, email: input.email ?? null, phone: input.phone ?? null,
        password_hash: passwordHash, is_platform_admin: false, status: passwordHash ? 'active' : 'invited',
        failed_logins: 0, created_at: at, updated_at: at,
      };
      await knex('users').insert(user);
      await writeAuditAndOutbox(knex, tx.sync, tx.actor, tx.estateId, { action: 'users.create', table: 'users', rowId: user.id, after: { ...user, password_hash: undefined }, op: 'insert' });
    } else if (input.password) {
      throw new ConflictError('DUPLICATE', 'Akun dengan email/nomor HP ini sudah ada; kata sandinya tidak diubah dari sini.', input.email ? 'email' : 'phone');
    }
    const existing = await knex('memberships').where({ estate_id: tx.estateId, user_id: user.id, role: input.role }).whereNull('deleted_at').first();
    if (existing) throw new ConflictError('DUPLICATE', 'Orang ini sudah memiliki peran tersebut di perumahan ini.', 'role');
    if (input.role === 'resident' && !input.resident_id) {
      throw new ValidationError('Akun warga harus dihubungkan ke data penghuni.', 'resident_id');
    }
    await insertMembership(knex, tx.sync, tx.actor, { estate_id: tx.estateId, user_id: user.id, role: input.role, resident_id: input.resident_id ?? null });
    let invite: ReturnType<typeof inviteLinks> | undefined;
    if (user.status === 'invited') {
      const code = randomToken(8).replace(/[-_]/g, 'x').slice(0, 10).toUpperCase();
      const row = {
        id: newId(), estate_id: tx.estateId, user_id: user.id, code, role: input.role, created_by: tx.actor.userId,
        expires_at: new Date(Date.now() + INVITE_DAYS * 86_400_000).toISOString(), created_at: at,
      };
      await knex('invites').insert(row);
      await writeAuditAndOutbox(knex, tx.sync, tx.actor, tx.estateId, { action: 'invites.create', table: 'invites', rowId: row.id, after: row, op: 'insert' });
      invite = inviteLinks(publicUrl, estate.name, code, user.name, user.phone);
    }
    return {
      user: { id: user.id, name: user.name, email: user.email, phone: user.phone, status: user.status },
      role: input.role,
      invite,
    };
  });
}

export async function listEstateUsers(store: ScopedStore) {
  const rows = await store
    .live('memberships')
    .join('users', 'users.id', 'memberships.user_id')
    .whereNull('users.deleted_at')
    .orderBy('users.name')
    .select('memberships.id as membership_id', 'memberships.role', 'memberships.resident_id', 'users.id', 'users.name',
      'users.email', 'users.phone', 'users.status', 'users.last_login_at');
  return { items: rows };
}
