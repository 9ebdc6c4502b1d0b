import { api } from './client.ts';
import type { Page, Resident, ResidentInput } from './types.ts';

export interface ResidentListQuery {
  q?: string;
  unit_id?: string;
  relation?: string;
  limit?: number;
  offset?: number;
}

const base = (estateId: string) => `/estates/${estateId}/residents`;

export const listResidents = (estateId: string, query: ResidentListQuery, signal?: AbortSignal) =>
  api.get<Page<Resident>>(base(estateId), { ...query }, signal);
export const getResident = (estateId: string, id: string) => api.get<Resident>(`${base(estateId)}/${id}`);
export const createResident = (estateId: string, input: ResidentInput) => api.post<Resident>(base(estateId), input);
export const updateResident = (estateId: string, id: string, input: Partial<ResidentInput>) =>
  api.patch<Resident>(`${base(estateId)}/${id}`, input);
