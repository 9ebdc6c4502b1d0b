import { api } from './client.ts';
import type { SetupAnswer } from '../../../server/estates/schemas.ts';
import type { AuthSession, Health, InviteInfo } from './types.ts';

export interface SetupInput {
  estate: { name: string; address?: string; timezone?: string; rt?: string; rw?: string };
  admin: { name: string; email?: string; phone?: string; password: string };
}

export const getHealth = () => api.get<Health>('/health');
export const getMe = () => api.get<AuthSession>('/auth/me');
export const login = (loginName: string, password: string) => api.post<AuthSession>('/auth/login', { login: loginName, password });
export const logout = () => api.post<unknown>('/auth/logout');
export const runSetup = (input: SetupInput) => api.post<SetupAnswer>('/setup', input);
export const getInvite = (code: string) => api.get<InviteInfo>(`/invites/${encodeURIComponent(code)}`);
export const acceptInvite = (code: string, password: string) =>
  api.post<AuthSession>(`/invites/${encodeURIComponent(code)}/accept`, { password });
