import QRCode from 'qrcode';
import { setDeviceCookie, wantsDeviceCookie } from '../auth/device-cookie.ts';
import { defineRoutes } from '../http/route.ts';
import { estateParams } from '../http/schemas.ts';
import {
  deviceCreateSchema,
  deviceIdParams,
  deviceListResponse,
  devicePairedResponse,
  devicePairingCodeResponse,
  devicePairSchema,
  deviceResponse,
} from './schemas.ts';
import { createDevice, listDevices, pairDevice, reissuePairingCode, revokeDevice } from './service.ts';

/**
 * The kiosk page of this estate at the address tablets reach (the office's own 127.0.0.1 is useless to them), and a QR
 * code of it with the pairing code: the tablet's camera opens the kiosk ready to pair, nobody types a UUID. The code
 * in it is the same one-time, 15-minute code the office screen shows.
 */
async function withPairingUrl<T extends { pairing_code: string }>(publicUrl: string, estateId: string, answer: T) {
  const pairingUrl = `${publicUrl}/kiosk?estate=${encodeURIComponent(estateId)}`;
  const qrUrl = `${pairingUrl}&code=${encodeURIComponent(answer.pairing_code)}`;
  const pairingQr = await QRCode.toDataURL(qrUrl, { errorCorrectionLevel: 'M', margin: 2, scale: 8 });
  return { ...answer, pairing_url: pairingUrl, pairing_qr_url: qrUrl, pairing_qr: pairingQr };
}

export const devicePairingRoutes = defineRoutes([
  {
    method: 'post',
    path: '/estates/:estate_id/devices',
    permission: 'devices.write',
    tags: ['devices'],
    summary: 'Register a kiosk device and get its one-time pairing code',
    params: estateParams,
    body: deviceCreateSchema,
    status: 201,
    response: devicePairingCodeResponse,
    handler: async (ctx) => withPairingUrl(ctx.app.publicUrl, ctx.store!.estateId, await createDevice(ctx.store!, ctx.body)),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/devices',
    permission: 'devices.write',
    tags: ['devices'],
    summary: 'List kiosk devices',
    params: estateParams,
    response: deviceListResponse,
    handler: (ctx) => listDevices(ctx.store!),
  },
  {
    // Public: the kiosk has no credentials yet; the pairing code is the credential.
    method: 'post',
    path: '/estates/:estate_id/devices/pair',
    permission: 'public',
    tags: ['devices'],
    summary: 'Exchange a pairing code for a device bearer token',
    params: estateParams,
    body: devicePairSchema,
    response: devicePairedResponse,
    handler: async (ctx) => {
      const paired = await pairDevice(ctx.store!, ctx.body.pairing_code, ctx.req.ip ?? 'unknown');
      // A browser kiosk asks for its credential as an httpOnly cookie and never sees it (see auth/device-cookie.ts).
      if (!wantsDeviceCookie(ctx.req)) return paired;
      setDeviceCookie(ctx.req, ctx.res, ctx.store!.estateId, paired.token);
      return { device: paired.device, credential: 'cookie' as const };
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/devices/:id/pairing-code',
    permission: 'devices.write',
    tags: ['devices'],
    summary: 'Issue a new pairing code for a device',
    params: deviceIdParams,
    response: devicePairingCodeResponse,
    handler: async (ctx) => withPairingUrl(ctx.app.publicUrl, ctx.store!.estateId, await reissuePairingCode(ctx.store!, ctx.params.id)),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/devices/:id/revoke',
    permission: 'devices.write',
    tags: ['devices'],
    summary: 'Revoke a device: its token stops working and its shift ends',
    params: deviceIdParams,
    response: deviceResponse,
    handler: (ctx) => revokeDevice(ctx.store!, ctx.params.id),
  },
]);
