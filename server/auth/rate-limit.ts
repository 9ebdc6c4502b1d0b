import rateLimit from 'express-rate-limit';
import type { Knex } from 'knex';
import { TooManyRequestsError } from '../http/errors.ts';
import { DatabaseRateLimitStore } from './rate-limit-store.ts';

/**
 * Per-IP limit on password endpoints; the per-account lockout in auth/service.ts stops slow guessing. The counters
 * live in the database (`name` keeps each limiter's apart), so the limit holds across server processes.
 */
export function loginRateLimiter(knex: Knex, name: string, perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new DatabaseRateLimitStore(knex, name),
    // Through the error middleware, so the message comes in the language the request asked for.
    handler: (_req, _res, next) => {
      next(new TooManyRequestsError('RATE_LIMITED', 'Terlalu banyak percobaan. Coba lagi sebentar lagi.'));
    },
  });
}
