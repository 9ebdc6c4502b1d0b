import { z } from 'zod';
import { paging } from '../http/schemas.ts';

export const JOB_STATUSES = ['pending', 'running', 'done', 'failed'] as const;

export const jobListQuery = z.object({ status: z.enum(JOB_STATUSES).optional(), ...paging }).strict();

/** A job as the office sees it (the renderer imports this type). */
export const jobSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(JOB_STATUSES),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  run_at: z.string(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type JobView = z.infer<typeof jobSchema>;

export const jobListSchema = z.object({ items: z.array(jobSchema), total: z.number().int() });
export type JobList = z.infer<typeof jobListSchema>;
