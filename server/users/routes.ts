import { nowIso } from '../db/clock.ts';
import { writeAuditAndOutbox } from '../db/scoped-store.ts';
import { hashPassword } from '../auth/passwords.ts';
import { sessionPayload } from '../auth/service.ts';
import { createSession } from '../auth/sessions.ts';
import { defineRoutes } from '../http/route.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { estateParams } from '../http/schemas.ts';
import { inviteAcceptBody, inviteParams, userCreateBody } from './schemas.ts';
import { createEstateUser, listEstateUsers } from './service.ts';

async function openInvite(knex: import('knex').Knex, code: string) {
  const invite = await knex('invites')
    .join('users', 'users.id', 'invites.user_id')
    .join('estates', 'estates.id', 'invites.estate_id')
    .where('invites.code', code.toUpperCase())
    .first('invites.*', 'users.name as user_name', 'users.status as user_status', 'estates.name as estate_name');
  if (!invite || invite.accepted_at || invite.expires_at < nowIso()) throw new NotFoundError('Undangan');
  return invite;
}

export const userRoutes = defineRoutes([
  {
    method: 'get', path: '/estates/:estate_id/users', permission: 'users.read', summary: 'People with a role in the estate',
    params: estateParams,
    handler: ({ store }) => listEstateUsers(store!),
  },
  {
    method: 'post', path: '/estates/:estate_id/users', permission: 'invites.write', status: 201,
    summary: 'Give a person a role: with a password directly, otherwise by invite (code, link, WhatsApp link)',
    params: estateParams, body: userCreateBody,
    handler: async ({ store, estate, app, body, role }) => {
      // A treasurer may invite residents; only administrators hand out office and guard roles.
      if (role === 'treasurer' && body.role !== 'resident') {
        throw new ConflictError('ROLE_NOT_ALLOWED', 'Bendahara hanya dapat mengundang warga.', 'role');
      }
      return createEstateUser(store!, estate!, app.publicUrl, body);
    },
  },
  {
    method: 'get', path: '/invites/:code', permission: 'public', summary: 'What an invite is for (name, estate, role)',
    params: inviteParams,
    handler: async ({ app, params }) => {
      const inv = await openInvite(app.db.knex, params.code);
      return { name: inv.user_name, estate_name: inv.estate_name, role: inv.role, expires_at: inv.expires_at };
    },
  },
  {
    method: 'post', path: '/invites/:code/accept', permission: 'public', summary: 'Accept an invite by choosing a password; signs in',
    params: inviteParams, body: inviteAcceptBody,
    handler: async ({ app, params, body, req, res }) => {
      const knex = app.db.knex;
      const hash = await hashPassword(body.password);
      const userId = await knex.transaction(async (trx) => {
        const inv = await openInvite(trx, params.code);
        const at = nowIso();
        const claimed = await trx('invites').where({ id: inv.id }).whereNull('accepted_at').update({ accepted_at: at });
        if (!claimed) throw new ConflictError('INVITE_USED', 'Undangan ini sudah dipakai.');
        const userPatch: Record<string, unknown> = { status: 'active', updated_at: at };
        if (inv.user_status === 'invited') userPatch.password_hash = hash;
        await trx('users').where({ id: inv.user_id }).update(userPatch);
        await writeAuditAndOutbox(trx, app.sync, { userId: inv.user_id, role: inv.role }, inv.estate_id, {
          action: 'invites.accept', table: 'invites', rowId: inv.id, after: { accepted_at: at }, op: 'update',
        });
        return inv.user_id as string;
      });
      const { csrfToken } = await createSession(app, knex, res, userId, req.headers['user-agent']);
      return sessionPayload(knex, userId, csrfToken);
    },
  },
]);
