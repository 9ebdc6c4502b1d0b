import { z } from 'zod';

export const healthResponse = z.object({
  status: z.literal('ok'),
  version: z.string(),
  database: z.enum(['sqlite', 'postgres']),
  /** True until the first estate and its administrator exist (the first-run page). */
  setup_required: z.boolean(),
});

const readinessCheck = z.object({ ok: z.boolean(), detail: z.string().optional() });

/** 200 when every check holds, 503 naming the ones that do not (`not_ready`). */
export const readyResponse = z.object({
  ready: z.boolean(),
  not_ready: z.array(z.enum(['database', 'migrations', 'jobs'])),
  checks: z.object({ database: readinessCheck, migrations: readinessCheck, jobs: readinessCheck }),
});

/** The OpenAPI 3.1 document; its own shape is the OpenAPI specification's. */
export const openApiResponse = z.record(z.string(), z.unknown());

export type Health = z.infer<typeof healthResponse>;
