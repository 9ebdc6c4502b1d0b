import { z } from 'zod';
import { IPC_CHANNELS, type AppInfo, type IpcChannel, type IpcError, type IpcResult } from './desktop-api.ts';
import { isSafeExternalUrl, isSameOrigin } from './navigation-policy.ts';

/**
 * Everything arriving over IPC comes from a web page and is treated as untrusted: the sender must be a frame on
 * the app origin, and the payload is parsed with zod before any handler sees it.
 */
export class IpcRefusal extends Error {
  constructor(
    readonly code: IpcError['code'],
    message: string,
  ) {
    super(message);
  }
}

export interface IpcHandlerDeps {
  appOrigin: string;
  appInfo(): AppInfo;
  openExternal(url: string): Promise<void>;
}

export type IpcHandler = (payload: unknown, senderUrl: string | undefined) => Promise<IpcResult<unknown>>;

const noInput = z.undefined();
const openExternalInput = z.object({ url: z.string().min(1).max(4096) }).strict();

function defineHandler<S extends z.ZodType, R>(appOrigin: string, schema: S, run: (input: z.infer<S>) => Promise<R> | R): IpcHandler {
  return async (payload, senderUrl) => {
    if (!senderUrl || !isSameOrigin(senderUrl, appOrigin)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC is only available to Klustera pages' } };
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || undefined;
      return { ok: false, error: { code: 'VALIDATION_FAILED', message: issue?.message ?? 'Invalid input', ...(field ? { field } : {}) } };
    }
    try {
      return { ok: true, value: await run(parsed.data) };
    } catch (error) {
      if (error instanceof IpcRefusal) return { ok: false, error: { code: error.code, message: error.message } };
      // Details stay in the main-process log; the page only learns that something failed.
      console.error('IPC handler failed', error);
      return { ok: false, error: { code: 'INTERNAL', message: 'The desktop app could not complete the request' } };
    }
  };
}

export function createIpcHandlers(deps: IpcHandlerDeps): Record<IpcChannel, IpcHandler> {
  return {
    [IPC_CHANNELS.appInfo]: defineHandler(deps.appOrigin, noInput, () => deps.appInfo()),
    [IPC_CHANNELS.shellOpenExternal]: defineHandler(deps.appOrigin, openExternalInput, async ({ url }) => {
      if (!isSafeExternalUrl(url)) throw new IpcRefusal('NOT_ALLOWED', 'Only http and https links can be opened');
      await deps.openExternal(url);
      return null;
    }),
  };
}
