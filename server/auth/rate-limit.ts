import rateLimit from 'express-rate-limit';

/** Per-IP limit on password endpoints; the per-account lockout in auth/service.ts stops slow guessing. */
export function loginRateLimiter(perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({ error: { code: 'RATE_LIMITED', message: 'Terlalu banyak percobaan. Coba lagi sebentar lagi.' } });
    },
  });
}
