import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Knex } from 'knex';

/** Expired windows are deleted at most this often per process; a stale row is harmless meanwhile (it restarts). */
const SWEEP_EVERY_MS = 60_000;

type HitRow = { hits: number | string; reset_at: number | string };

function rowsOf(result: unknown): HitRow[] {
  // better-sqlite3 answers a RETURNING statement with the rows, pg with a result object.
  return Array.isArray(result) ? (result as HitRow[]) : ((result as { rows: HitRow[] }).rows ?? []);
}

/**
 * express-rate-limit's counters in the database (`rate_limit_hits`), so that every server process on one PostgreSQL
 * counts the same requests: with the library's memory store each process would allow the full limit, and a load
 * balancer would multiply it by the number of processes. One upsert per request counts the hit, or starts a new
 * window when the stored one has ended, so parallel requests on several processes are all counted.
 */
export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private lastSweep = 0;

  constructor(
    private readonly knex: Knex,
    /** Names the limiter, so limiters on different routes keep counters of their own. */
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = (await this.knex('rate_limit_hits')
      .where({ key: this.key(key) })
      .first('hits', 'reset_at')) as HitRow | undefined;
    if (!row || Number(row.reset_at) <= Date.now()) return undefined;
    return { totalHits: Number(row.hits), resetTime: new Date(Number(row.reset_at)) };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = Date.now();
    await this.sweep(now);
    const result = await this.knex.raw(
      `insert into rate_limit_hits ("key", hits, reset_at) values (?, 1, ?)
       on conflict ("key") do update set
         hits = case when rate_limit_hits.reset_at <= ? then 1 else rate_limit_hits.hits + 1 end,
         reset_at = case when rate_limit_hits.reset_at <= ? then excluded.reset_at else rate_limit_hits.reset_at end
       returning hits, reset_at`,
      [this.key(key), now + this.windowMs, now, now],
    );
    const row = rowsOf(result)[0]!;
    return { totalHits: Number(row.hits), resetTime: new Date(Number(row.reset_at)) };
  }

  async decrement(key: string): Promise<void> {
    await this.knex('rate_limit_hits')
      .where({ key: this.key(key) })
      .where('hits', '>', 0)
      .decrement('hits', 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.knex('rate_limit_hits')
      .where({ key: this.key(key) })
      .delete();
  }

  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    await this.knex('rate_limit_hits').where('reset_at', '<=', now).delete();
  }
}
