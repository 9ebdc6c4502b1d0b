import { api } from './client.ts';
import type { AuthSession, EstateUserList, MembershipInvitation, Role, UserCreateInput, UserCreated } from './types.ts';
import type { MemberChanged, MemberLink, ResetLinkInfo } from '../../../server/users/schemas.ts';

export const listUsers = (estateId: string) => api.get<EstateUserList>(`/estates/${estateId}/users`);
export const createUser = (estateId: string, input: UserCreateInput) => api.post<UserCreated>(`/estates/${estateId}/users`, input);

export const listMyInvitations = (signal?: AbortSignal) =>
  api.get<{ items: MembershipInvitation[] }>('/membership-invitations', undefined, signal);
export const acceptMembershipInvitation = (id: string) => api.post<AuthSession>(`/membership-invitations/${encodeURIComponent(id)}/accept`);
export const declineMembershipInvitation = (id: string) => api.post<unknown>(`/membership-invitations/${encodeURIComponent(id)}/decline`);

const member = (estateId: string, membershipId: string) => `/estates/${estateId}/memberships/${encodeURIComponent(membershipId)}`;
export const changeMemberRole = (estateId: string, membershipId: string, role: Role) =>
  api.post<MemberChanged>(`${member(estateId, membershipId)}/role`, { role });
export const setMemberActive = (estateId: string, membershipId: string, active: boolean) =>
  api.post<MemberChanged>(`${member(estateId, membershipId)}/${active ? 'reactivate' : 'deactivate'}`);
export const createPasswordLink = (estateId: string, membershipId: string) =>
  api.post<MemberLink>(`${member(estateId, membershipId)}/password-reset`);
export const resendInvite = (estateId: string, membershipId: string) => api.post<MemberLink>(`${member(estateId, membershipId)}/invite`);

export const getResetLink = (token: string) => api.get<ResetLinkInfo>(`/password-resets/${encodeURIComponent(token)}`);
export const setPasswordByLink = (token: string, password: string) =>
  api.post<AuthSession>(`/password-resets/${encodeURIComponent(token)}`, { password });
