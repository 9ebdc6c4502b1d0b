import { z } from 'zod';
import { id, text } from '../http/schemas.ts';

export const deviceCreateSchema = z.object({ name: text(100), kind: z.enum(['kiosk']).default('kiosk') });
export const devicePairSchema = z.object({ pairing_code: z.string().trim().min(1, 'Wajib diisi.').max(20) });
export const deviceIdParams = z.object({ estate_id: id, id });

// Answers.
export const deviceResponse = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.enum(['waiting', 'paired', 'revoked']),
  paired_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  pairing_expires_at: z.string().nullable(),
  created_at: z.string(),
});
export const deviceListResponse = z.object({ items: z.array(deviceResponse) });
/** A device with a fresh pairing code, shown once to type on the kiosk. */
export const devicePairingCodeResponse = z.object({
  device: deviceResponse,
  pairing_code: z.string(),
  pairing_expires_at: z.string(),
  /** Where the tablet opens the kiosk: the installation's public address, never the office's own window location. */
  pairing_url: z.string().optional(),
  /** The kiosk address with this pairing code, for the tablet's camera. */
  pairing_qr_url: z.string().optional(),
  /** That address as a QR code, a PNG `data:` URL. */
  pairing_qr: z.string().optional(),
});
/** The bearer token for a script or app kiosk, or, for a browser kiosk, word that it came as an httpOnly cookie. */
export const devicePairedResponse = z.union([
  z.object({ token: z.string(), device: deviceResponse }),
  z.object({ device: deviceResponse, credential: z.literal('cookie') }),
]);

export type Device = z.infer<typeof deviceResponse>;
export type DevicePairingCode = z.infer<typeof devicePairingCodeResponse>;
export type DevicePaired = z.infer<typeof devicePairedResponse>;
