import type { AuthInfo } from '../auth/authenticate.ts';
import { hashPassword } from '../auth/passwords.ts';
import { sessionPayload } from '../auth/service.ts';
import { createSession } from '../auth/sessions.ts';
import { defineRoutes } from '../http/route.ts';
import { ForbiddenError } from '../http/errors.ts';
import { estateParams } from '../http/schemas.ts';
import {
  estateUserListResponse,
  invitationParams,
  inviteAcceptBody,
  inviteInfoResponse,
  inviteParams,
  membershipInvitationListResponse,
  userCreateBody,
  userCreatedResponse,
} from './schemas.ts';
import { acceptInvite, openInvite } from './invite-service.ts';
import { acceptMembershipInvitation, declineMembershipInvitation, listMyInvitations } from './membership-invitations.ts';
import { createEstateUser, listEstateUsers } from './service.ts';
import { sessionResponse } from '../auth/schemas.ts';

/** Invitations belong to people; a kiosk's device token has none. */
function signedInUser(auth: AuthInfo | null): string {
  if (!auth?.userId) throw new ForbiddenError();
  return auth.userId;
}

export const userRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/users',
    permission: 'users.read',
    summary: 'People with a role in the estate',
    params: estateParams,
    response: estateUserListResponse,
    handler: ({ store }) => listEstateUsers(store!),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/users',
    permission: 'invites.write',
    status: 201,
    summary: 'Give a person a role: with a password directly, otherwise by invite (code, link, WhatsApp link)',
    params: estateParams,
    body: userCreateBody,
    response: userCreatedResponse,
    handler: ({ store, estate, app, body, role }) => createEstateUser(store!, estate!, app.publicUrl, body, role),
  },
  {
    method: 'get',
    path: '/invites/:code',
    permission: 'public',
    summary: 'What an invite is for (name, estate, role)',
    params: inviteParams,
    response: inviteInfoResponse,
    handler: async ({ app, params }) => {
      const inv = await openInvite(app.db.knex, params.code);
      return { name: inv.user_name, estate_name: inv.estate_name, role: inv.role, expires_at: inv.expires_at };
    },
  },
  {
    method: 'post',
    path: '/invites/:code/accept',
    permission: 'public',
    summary: 'Accept an invite by choosing a password; signs in',
    params: inviteParams,
    body: inviteAcceptBody,
    response: sessionResponse,
    handler: async ({ app, params, body, req, res }) => {
      const userId = await acceptInvite(app.db.knex, app.sync, params.code, await hashPassword(body.password));
      const { csrfToken } = await createSession(app, app.db.knex, res, userId, req.headers['user-agent']);
      return sessionPayload(app.db.knex, userId, csrfToken);
    },
  },
  {
    method: 'get',
    path: '/membership-invitations',
    permission: 'authenticated',
    summary: 'Estates that invite the signed-in user to a role, waiting for an answer',
    response: membershipInvitationListResponse,
    handler: ({ app, auth }) => listMyInvitations(app.db.knex, signedInUser(auth)),
  },
  {
    method: 'post',
    path: '/membership-invitations/:id/accept',
    permission: 'authenticated',
    summary: 'Accept an invitation into an estate (the role applies from now on)',
    params: invitationParams,
    response: sessionResponse,
    handler: async ({ app, auth, params }) => {
      const userId = signedInUser(auth);
      await acceptMembershipInvitation(app.db.knex, app.sync, userId, params.id);
      return sessionPayload(app.db.knex, userId, auth!.csrfToken);
    },
  },
  {
    method: 'post',
    path: '/membership-invitations/:id/decline',
    permission: 'authenticated',
    status: 204,
    summary: 'Decline an invitation into an estate',
    params: invitationParams,
    handler: async ({ app, auth, params }) => {
      await declineMembershipInvitation(app.db.knex, app.sync, signedInUser(auth), params.id);
    },
  },
]);
