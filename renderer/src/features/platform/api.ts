import type { EstateCreated } from '../../../../server/estates/schemas.ts';
import type {
  PlatformAdmin,
  PlatformAdminList,
  PlatformEstate,
  PlatformEstateList,
  UserLookup,
} from '../../../../server/platform/schemas.ts';
import type { EstateImportResponse } from '../../../../server/estate-transfer/schemas.ts';
import { api, apiRequest } from '../../api/client.ts';

export type { PlatformAdmin, PlatformEstate, UserLookup };

export const listPlatformEstates = (query: { q?: string; status?: string }, signal?: AbortSignal) =>
  api.get<PlatformEstateList>('/platform/estates', query, signal);

export const setEstateSuspended = (estateId: string, suspended: boolean) =>
  api.post<PlatformEstate>(`/platform/estates/${estateId}/${suspended ? 'suspend' : 'reactivate'}`, {});

export const createEstate = (body: { name: string; timezone: string; first_admin: { name: string; email?: string; phone?: string } }) =>
  api.post<EstateCreated>('/estates', body);

export const listPlatformAdmins = (signal?: AbortSignal) => api.get<PlatformAdminList>('/platform/admins', undefined, signal);
export const grantPlatformAdmin = (userId: string) => api.post<PlatformAdmin>('/platform/admins', { user_id: userId });
export const revokePlatformAdmin = (userId: string) => api.delete<void>(`/platform/admins/${userId}`);
export const lookUpUser = (q: string) => api.get<UserLookup>('/platform/users', { q });

/** An estate archive (made by another installation's export) as a new estate here; the file is the whole body. */
export const importEstateArchive = (archive: File) =>
  apiRequest<EstateImportResponse>('POST', '/platform/estates/import', { body: archive, headers: { 'Content-Type': 'application/gzip' } });
