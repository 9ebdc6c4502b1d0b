import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Permission, Role } from '../auth/permissions.ts';
import type { AuthInfo } from '../auth/authenticate.ts';
import type { Actor, ScopedStore } from '../db/scoped-store.ts';
import type { AppContext } from './app-context.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface UploadedFile {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** An upload streamed to a file (routes with `upload.toFolder`): never held in memory whole. */
export interface UploadedFileOnDisk {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  /** Removed after the handler has answered: a handler that keeps it moves it elsewhere first. */
  path: string;
}

export interface RequestContext<B = any, Q = any, P = any> {
  app: AppContext;
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  file?: UploadedFile;
  fileOnDisk?: UploadedFileOnDisk;
  /** Other multipart text fields of an upload route. */
  fields: Record<string, string>;
  auth: AuthInfo | null;
  actor: Actor;
  /** Present on routes under /estates/:estate_id — the only way to reach that estate's rows. */
  store?: ScopedStore;
  estate?: { id: string; name: string; timezone: string } & Record<string, unknown>;
  /** The role that granted this request in the estate (the strongest the user holds). */
  role?: Role;
  idempotencyKey?: string;
}

export interface RouteDef<B = any, Q = any, P = any> {
  method: HttpMethod;
  /** Relative to /api/v1, Express syntax: `/estates/:estate_id/units/:id`. */
  path: string;
  permission: Permission | 'public' | 'authenticated';
  summary: string;
  tags?: string[];
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  response?: z.ZodType;
  status?: number;
  /** Accepts an `Idempotency-Key` header: a retried request gets the first answer and writes nothing new. */
  idempotent?: boolean;
  /** multipart/form-data with one file field. */
  upload?: {
    field: string;
    maxBytes: number;
    /**
     * Large uploads: streamed to a file in this folder (inside the data folder) with the size cap enforced while
     * streaming, instead of held in memory. An upload over the cap is 413 and its partial file is removed.
     */
    toFolder?: (app: AppContext) => string;
  };
  /** The handler writes the response itself (files, streams). */
  raw?: boolean;
  /** Produces a non-JSON body (documented in OpenAPI). */
  produces?: string[];
  handler: (ctx: RequestContext<B, Q, P>) => unknown | Promise<unknown>;
}

export function defineRoutes(defs: RouteDef[]): RouteDef[] {
  return defs;
}
