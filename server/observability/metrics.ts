import crypto from 'node:crypto';
import type { Knex } from 'knex';
import client from 'prom-client';
import type { JobRunnerHealth } from './readiness.ts';

/**
 * Prometheus metrics of one server process. Each process has its own registry: on the hosted instance, where several
 * processes serve one database, each is scraped on its own and the counters add up in Prometheus. The job queue and
 * sync gauges are read from the database at scrape time, so every process reports the same shared values.
 */
export interface MetricsSources {
  /** The database in the platform scope: the queue and sync tables span estates. */
  knex: () => Knex;
  siteId: string;
  jobs: () => JobRunnerHealth | undefined;
  /** Tables that sync does not carry: their outbox rows never wait for an acknowledgement. */
  notCarriedTables: readonly string[];
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const ageSeconds = (iso: string | null | undefined, now: number): number | null => {
  const at = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(at) ? null : Math.max(0, (now - at) / 1000);
};

export class ServerMetrics {
  readonly registry = new client.Registry();
  private readonly requests: client.Counter<'method' | 'route' | 'status'>;
  private readonly latency: client.Histogram<'method' | 'route'>;
  private readonly jobFailures: client.Counter<'job' | 'final'>;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly sources: MetricsSources) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry });
    this.requests = new client.Counter({
      name: 'klustera_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.latency = new client.Histogram({
      name: 'klustera_http_request_duration_seconds',
      help: 'Time from request to answer, by method and route pattern (live-update streams are not timed)',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.jobFailures = new client.Counter({
      name: 'klustera_job_failures_total',
      help: 'Job runs that failed in this process, by job; final="true" when the job gave up for good',
      labelNames: ['job', 'final'],
      registers,
    });
    new client.Gauge({
      name: 'klustera_jobs',
      help: 'Jobs in the queue by status (shared by every process of the database)',
      labelNames: ['status'],
      registers,
      collect: async function (this: client.Gauge<'status'>) {
        this.reset();
        const rows = (await sources.knex()('jobs').select('status').count({ n: '*' }).groupBy('status')) as {
          status: string;
          n: number | string;
        }[];
        for (const row of rows) this.set({ status: row.status }, Number(row.n));
      },
    });
    new client.Gauge({
      name: 'klustera_job_runner_last_tick_age_seconds',
      help: "Seconds since this process's job runner last finished a round (absent when it does not run jobs)",
      registers,
      collect: function (this: client.Gauge) {
        this.reset();
        const at = sources.jobs()?.lastTickAt();
        if (at) this.set(Math.max(0, (Date.now() - at.getTime()) / 1000));
      },
    });
    new client.Gauge({
      name: 'klustera_sync_oldest_pending_change_age_seconds',
      help: 'Office desktop: age of the oldest own change the hosted instance has not acknowledged, per linked estate (0: none waiting)',
      labelNames: ['estate_id'],
      registers,
      collect: async function (this: client.Gauge<'estate_id'>) {
        this.reset();
        const knex = sources.knex();
        const now = Date.now();
        const links = (await knex('sync_links').select('estate_id')) as { estate_id: string }[];
        for (const link of links) {
          const oldest = (await knex('outbox')
            .where({ estate_id: link.estate_id, site_id: sources.siteId })
            .whereNull('synced_at')
            .whereNotIn('table_name', sources.notCarriedTables as string[])
            .min({ at: 'created_at' })
            .first()) as { at: string | null } | undefined;
          this.set({ estate_id: link.estate_id }, ageSeconds(oldest?.at, now) ?? 0);
        }
      },
    });
    new client.Gauge({
      name: 'klustera_sync_last_success_age_seconds',
      help: 'Office desktop: seconds since the last completed sync, per linked estate (absent before the first)',
      labelNames: ['estate_id'],
      registers,
      collect: async function (this: client.Gauge<'estate_id'>) {
        this.reset();
        const now = Date.now();
        const links = (await sources.knex()('sync_links').select('estate_id', 'last_sync_at')) as {
          estate_id: string;
          last_sync_at: string | null;
        }[];
        for (const link of links) {
          const age = ageSeconds(link.last_sync_at, now);
          if (age !== null) this.set({ estate_id: link.estate_id }, age);
        }
      },
    });
    new client.Gauge({
      name: 'klustera_sync_credential_last_seen_age_seconds',
      help: 'Hosted instance: seconds since each office desktop last synced, per estate and credential',
      labelNames: ['estate_id', 'credential_id'],
      registers,
      collect: async function (this: client.Gauge<'estate_id' | 'credential_id'>) {
        this.reset();
        const now = Date.now();
        const rows = (await sources.knex()('sync_credentials').whereNull('revoked_at').select('id', 'estate_id', 'last_seen_at')) as {
          id: string;
          estate_id: string;
          last_seen_at: string | null;
        }[];
        for (const row of rows) {
          const age = ageSeconds(row.last_seen_at, now);
          if (age !== null) this.set({ estate_id: row.estate_id, credential_id: row.id }, age);
        }
      },
    });
    new client.Gauge({
      name: 'klustera_backup_newest_age_seconds',
      help: 'Seconds since the newest backup that passed its checks finished (absent when none is recorded)',
      registers,
      collect: async function (this: client.Gauge) {
        this.reset();
        try {
          const row = (await sources.knex()('backups').where({ status: 'ok' }).max({ at: 'finished_at' }).first()) as
            | { at: string | null }
            | undefined;
          const age = ageSeconds(row?.at, Date.now());
          if (age !== null) this.set(age);
        } catch {
          // A database from before backups were recorded has no table: nothing to report, the scrape goes on.
        }
      },
    });
  }

  /** Follows the job runner's outcomes (failures) from now on. */
  watchJobs(jobs: JobRunnerHealth): void {
    this.unsubscribe?.();
    this.unsubscribe = jobs.onOutcome((outcome) => {
      if (outcome.result === 'retry' || outcome.result === 'failed') {
        this.jobFailures.inc({ job: outcome.name, final: outcome.result === 'failed' ? 'true' : 'false' });
      }
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number, timed: boolean): void {
    this.requests.inc({ method, route, status: String(status) });
    if (timed) this.latency.observe({ method, route }, seconds);
  }

  /** The text exposition format. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    this.unsubscribe?.();
    this.registry.clear();
  }
}

/** Whether `header` is `Bearer <token>`, compared in constant time (hashes of equal length). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = crypto.createHash('sha256').update(header.slice(7)).digest();
  const expected = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(given, expected);
}

/** `KLUSTERA_METRICS_TOKEN`: long enough not to be guessed, since it opens /metrics on the public port. */
export function metricsTokenFromEnv(value: string | undefined = process.env.KLUSTERA_METRICS_TOKEN): string | null {
  if (value === undefined || value === '') return null;
  if (value.length < 24) throw new Error('KLUSTERA_METRICS_TOKEN must be at least 24 characters (e.g. `openssl rand -hex 24`)');
  return value;
}
