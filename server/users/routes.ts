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
  memberChangedResponse,
  memberLinkResponse,
  memberParams,
  memberRoleBody,
  resetLinkInfoResponse,
  resetTokenParams,
  resetUseBody,
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
import { changeMemberRole, createPasswordResetLink, resendInvite, setMemberActive } from './member-admin.ts';
import { openResetLink, useResetLink } from '../auth/password-reset.ts';
import { sessionResponse } from '../auth/schemas.ts';
import { platformKnex } from '../db/platform-store.ts';

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
    method: 'post',
    path: '/estates/:estate_id/memberships/:membership_id/role',
    permission: 'users.write',
    summary: "Change a member's role (the estate always keeps one active administrator)",
    params: memberParams,
    body: memberRoleBody,
    response: memberChangedResponse,
    handler: ({ store, params, body, role }) => changeMemberRole(store!, params.membership_id, body.role, role),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/memberships/:membership_id/deactivate',
    permission: 'users.write',
    summary: 'Switch a member off: their role ends at once, and their sign-ins when the account works nowhere else',
    params: memberParams,
    response: memberChangedResponse,
    handler: ({ store, params }) => setMemberActive(store!, params.membership_id, false),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/memberships/:membership_id/reactivate',
    permission: 'users.write',
    summary: 'Switch a member on again with the role they had',
    params: memberParams,
    response: memberChangedResponse,
    handler: ({ store, params }) => setMemberActive(store!, params.membership_id, true),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/memberships/:membership_id/password-reset',
    permission: 'users.write',
    status: 201,
    summary: 'A one-time link (60 minutes) for a member who forgot their password, with a WhatsApp link to pass it on',
    params: memberParams,
    response: memberLinkResponse,
    handler: ({ store, estate, app, params }) => createPasswordResetLink(store!, estate!, app.publicUrl, params.membership_id),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/memberships/:membership_id/invite',
    permission: 'invites.write',
    summary: "Send an invited member's invite again (a one-time link once the code lapsed)",
    params: memberParams,
    response: memberLinkResponse,
    handler: ({ store, estate, app, params, role }) => resendInvite(store!, estate!, app.publicUrl, params.membership_id, role),
  },
  {
    method: 'get',
    path: '/password-resets/:token',
    permission: 'public',
    summary: 'Whose password a one-time link sets (name, estate)',
    params: resetTokenParams,
    response: resetLinkInfoResponse,
    handler: async ({ app, params }) => {
      const link = await openResetLink(platformKnex(app.db.knex), params.token);
      return { name: link.user_name, estate_name: link.estate_name, expires_at: link.expires_at };
    },
  },
  {
    method: 'post',
    path: '/password-resets/:token',
    permission: 'public',
    summary: 'Use a one-time link: set a new password (every other sign-in ends) and sign in',
    params: resetTokenParams,
    body: resetUseBody,
    response: sessionResponse,
    handler: async ({ app, params, body, req, res }) => {
      const userId = await useResetLink(platformKnex(app.db.knex), app.sync, params.token, await hashPassword(body.password));
      const { csrfToken } = await createSession(app, platformKnex(app.db.knex), res, userId, req.headers['user-agent']);
      return sessionPayload(platformKnex(app.db.knex), userId, csrfToken);
    },
  },
  {
    method: 'get',
    path: '/invites/:code',
    permission: 'public',
    summary: 'What an invite is for (name, estate, role)',
    params: inviteParams,
    response: inviteInfoResponse,
    handler: async ({ app, params }) => {
      const inv = await openInvite(platformKnex(app.db.knex), params.code);
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
      const userId = await acceptInvite(platformKnex(app.db.knex), app.sync, params.code, await hashPassword(body.password));
      const { csrfToken } = await createSession(app, platformKnex(app.db.knex), res, userId, req.headers['user-agent']);
      return sessionPayload(platformKnex(app.db.knex), userId, csrfToken);
    },
  },
  {
    method: 'get',
    path: '/membership-invitations',
    permission: 'authenticated',
    summary: 'Estates that invite the signed-in user to a role, waiting for an answer',
    response: membershipInvitationListResponse,
    handler: ({ app, auth }) => listMyInvitations(platformKnex(app.db.knex), signedInUser(auth)),
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
      await acceptMembershipInvitation(platformKnex(app.db.knex), app.sync, userId, params.id);
      return sessionPayload(platformKnex(app.db.knex), userId, auth!.csrfToken);
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
      await declineMembershipInvitation(platformKnex(app.db.knex), app.sync, signedInUser(auth), params.id);
    },
  },
]);
