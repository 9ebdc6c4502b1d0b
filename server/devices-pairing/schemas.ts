import { z } from 'zod';
import { id, text } from '../http/schemas.ts';

export const deviceCreateSchema = z.object({ name: text(100), kind: z.enum(['kiosk']).default('kiosk') });
export const devicePairSchema = z.object({ pairing_code: z.string().trim().min(1, 'Wajib diisi.').max(20) });
export const deviceIdParams = z.object({ estate_id: id, id });
