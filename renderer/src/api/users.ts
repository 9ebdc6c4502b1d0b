import { api } from './client.ts';
import type { UserCreateInput, UserCreated } from './types.ts';

export const createUser = (estateId: string, input: UserCreateInput) =>
  api.post<UserCreated>(`/estates/${estateId}/users`, input);
