import QRCode from 'qrcode';
import type { PublicUrlSource } from './public-url.ts';

/**
 * What `klustera serve` prints for the people who will open Klustera on a phone: the address and a QR code of it,
 * which the terminal can show and a phone camera can read off the screen. Serving on loopback only, there is nothing
 * a phone could open, so the lines say how to change that instead of showing a QR code nobody can use.
 */
export async function phoneAddressLines(publicUrl: string, source: PublicUrlSource, kiosk: boolean): Promise<string[]> {
  if (source === 'local') {
    return [
      '  phones: only this computer can open Klustera; start with --host 0.0.0.0 (or set --public-url) for phones on the estate Wi-Fi',
    ];
  }
  const target = kiosk ? `${publicUrl}/kiosk` : `${publicUrl}/portal`;
  const qr = await QRCode.toString(target, { type: 'terminal', small: true });
  return [`  phones and tablets open: ${target}`, ...qr.replace(/\n+$/, '').split('\n')];
}
