import { api } from './client.ts';
import type { EstateUser, UserCreateInput, UserCreated } from './types.ts';

export const listUsers = (estateId: string) => api.get<{ items: EstateUser[] }>(`/estates/${estateId}/users`);
export const createUser = (estateId: string, input: UserCreateInput) =>
  api.post<UserCreated>(`/estates/${estateId}/users`, input);
