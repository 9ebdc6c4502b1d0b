import { api } from './client.ts';
import type { Estate } from './types.ts';

export const getEstate = (estateId: string) => api.get<Estate>(`/estates/${estateId}`);
