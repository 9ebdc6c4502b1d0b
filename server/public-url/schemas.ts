import { z } from 'zod';

export const publicUrlBody = z
  .object({
    /** null or empty: back to the address the server works out itself. */
    public_url: z.string().max(2000).nullable(),
  })
  .strict();

export const publicUrlResponse = z.object({
  public_url: z.string(),
  source: z.enum(['startup', 'setting', 'lan', 'local']),
  stored: z.string().nullable(),
  default_url: z.string(),
  editable: z.boolean(),
});

export type PublicUrlAnswer = z.infer<typeof publicUrlResponse>;
