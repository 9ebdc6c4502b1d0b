import { api } from './client.ts';
import type { Page, Unit, UnitHistoryEntry, UnitInput } from './types.ts';

export interface UnitListQuery {
  q?: string;
  block?: string;
  type?: string;
  occupancy?: string;
  limit?: number;
  offset?: number;
}

const base = (estateId: string) => `/estates/${estateId}/units`;

export const listUnits = (estateId: string, query: UnitListQuery, signal?: AbortSignal) =>
  api.get<Page<Unit>>(base(estateId), { ...query }, signal);
export const getUnit = (estateId: string, id: string) => api.get<Unit>(`${base(estateId)}/${id}`);
export const createUnit = (estateId: string, input: UnitInput) => api.post<Unit>(base(estateId), input);
export const updateUnit = (estateId: string, id: string, input: Partial<UnitInput>) => api.patch<Unit>(`${base(estateId)}/${id}`, input);
export const deleteUnit = (estateId: string, id: string) => api.delete<unknown>(`${base(estateId)}/${id}`);

export const getUnitHistory = (estateId: string, id: string) => api.get<{ items: UnitHistoryEntry[] }>(`${base(estateId)}/${id}/history`);
