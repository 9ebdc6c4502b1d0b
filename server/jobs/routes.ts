import { nowIso } from '../db/clock.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { defineRoutes } from '../http/route.ts';
import { estateParams, idParams } from '../http/schemas.ts';
import { jobListQuery, jobListSchema, jobSchema, type JobView } from './schemas.ts';

const tags = ['jobs'];
const base = '/estates/:estate_id/jobs';

const COLUMNS = ['id', 'name', 'status', 'attempts', 'max_attempts', 'run_at', 'last_error', 'created_at', 'finished_at'];

export const jobRoutes = defineRoutes([
  {
    method: 'get',
    path: base,
    permission: 'jobs.read',
    tags,
    params: estateParams,
    query: jobListQuery,
    summary: "The estate's background work (printing, billing runs, messages): what is waiting, what failed and why",
    response: jobListSchema,
    handler: async ({ store, query }) => {
      const filtered = () => (query.status ? store!.query('jobs').where('jobs.status', query.status) : store!.query('jobs'));
      const [items, [{ n }]] = await Promise.all([
        filtered().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).select(COLUMNS),
        filtered().count({ n: '*' }),
      ]);
      return { items, total: Number(n) };
    },
  },
  {
    method: 'post',
    path: `${base}/:id/retry`,
    permission: 'jobs.retry',
    tags,
    params: idParams,
    summary: 'Try a failed job again now, with a fresh set of tries',
    response: jobSchema,
    handler: async ({ store, params }) =>
      store!.transaction(async (tx) => {
        const before = await tx.find<Record<string, unknown>>('jobs', params.id, { includeDeleted: true });
        if (!before) throw new NotFoundError('Pekerjaan');
        const at = nowIso();
        const changed = await tx
          .query('jobs')
          .where({ 'jobs.id': params.id, 'jobs.status': 'failed' })
          .update({ status: 'pending', attempts: 0, run_at: at, last_error: null, finished_at: null, updated_at: at });
        if (!changed) throw new ConflictError('JOB_NOT_FAILED', 'Hanya pekerjaan yang gagal yang dapat diulang.');
        await tx.audit(
          'jobs.retry',
          'jobs',
          params.id,
          { status: before.status, attempts: before.attempts },
          { status: 'pending', attempts: 0 },
        );
        return (await tx.query('jobs').where('jobs.id', params.id).first(COLUMNS)) as JobView;
      }),
  },
]);
