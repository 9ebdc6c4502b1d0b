import { api } from './client.ts';
import type { AuthSession, EstateUserList, MembershipInvitation, UserCreateInput, UserCreated } from './types.ts';

export const listUsers = (estateId: string) => api.get<EstateUserList>(`/estates/${estateId}/users`);
export const createUser = (estateId: string, input: UserCreateInput) => api.post<UserCreated>(`/estates/${estateId}/users`, input);

export const listMyInvitations = (signal?: AbortSignal) =>
  api.get<{ items: MembershipInvitation[] }>('/membership-invitations', undefined, signal);
export const acceptMembershipInvitation = (id: string) => api.post<AuthSession>(`/membership-invitations/${encodeURIComponent(id)}/accept`);
export const declineMembershipInvitation = (id: string) => api.post<unknown>(`/membership-invitations/${encodeURIComponent(id)}/decline`);
