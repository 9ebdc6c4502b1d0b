import rateLimit from 'express-rate-limit';
import { TooManyRequestsError } from '../http/errors.ts';

/** Per-IP limit on password endpoints; the per-account lockout in auth/service.ts stops slow guessing. */
export function loginRateLimiter(perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Through the error middleware, so the message comes in the language the request asked for.
    handler: (_req, _res, next) => {
      next(new TooManyRequestsError('RATE_LIMITED', 'Terlalu banyak percobaan. Coba lagi sebentar lagi.'));
    },
  });
}
