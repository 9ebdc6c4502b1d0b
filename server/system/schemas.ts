import { z } from 'zod';

export const healthResponse = z.object({
  status: z.literal('ok'),
  version: z.string(),
  database: z.enum(['sqlite', 'postgres']),
  /** True until the first estate and its administrator exist (the first-run page). */
  setup_required: z.boolean(),
});

/** The OpenAPI 3.1 document; its own shape is the OpenAPI specification's. */
export const openApiResponse = z.record(z.string(), z.unknown());

export type Health = z.infer<typeof healthResponse>;
