import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { BadRequestError, PayloadTooLargeError } from './errors.ts';

/**
 * A gateway's callback is small (Xendit's largest is a few KB); anything far beyond that is not a gateway talking, and
 * is refused before it is buffered further.
 */
export const WEBHOOK_BODY_MAX_BYTES = 64 * 1024;

const rawBodies = new WeakMap<Request, Buffer>();

function webhookTooLarge(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  if ((err as { type?: unknown } | null)?.type !== 'entity.too.large') return next(err);
  next(new PayloadTooLargeError('WEBHOOK_TOO_LARGE', `Isi callback lebih dari ${WEBHOOK_BODY_MAX_BYTES / 1024} KB ditolak.`));
}

/**
 * The JSON parser for webhook routes: it also keeps the bytes as they came, because the inbox stores the event as the
 * gateway sent it (a signature, a dispute or a support ticket is about those bytes, not our re-serialisation of them).
 * Mounted before the general parser, which then finds the body read and leaves it.
 */
export function webhookBodyParser(): RequestHandler[] {
  return [
    express.json({
      limit: WEBHOOK_BODY_MAX_BYTES,
      strict: false,
      verify: (req, _res, buf) => {
        rawBodies.set(req as Request, buf);
      },
    }) as RequestHandler,
    webhookTooLarge as unknown as RequestHandler,
  ];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The webhook's body exactly as received, as text. JSON is UTF-8, so the text holds the same bytes; a body that is not
 * valid UTF-8 could not be kept exactly and is refused.
 */
export function rawWebhookBody(req: Request): string | null {
  const buf = rawBodies.get(req);
  if (!buf) return null;
  try {
    return utf8.decode(buf);
  } catch {
    throw new BadRequestError('WEBHOOK_MALFORMED', 'Isi callback bukan teks UTF-8.');
  }
}

/** The webhook's body bytes as received, for a signature computed over exactly those bytes (null when none were kept). */
export function rawWebhookBytes(req: Request): Buffer | null {
  return rawBodies.get(req) ?? null;
}
