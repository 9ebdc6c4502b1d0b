import jsQR from 'jsqr';
import type { RasterImage } from './escpos-listener.ts';

/** Reads a QR code out of a decoded GS v 0 raster image, as a phone camera would read the paper. */
export function readQrFromRaster(image: RasterImage): string | null {
  const pad = 16; // quiet zone, in case the image was printed without one
  const width = image.width + pad * 2;
  const height = image.height + pad * 2;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (!image.dots[y * image.width + x]) continue;
      const o = ((y + pad) * width + (x + pad)) * 4;
      rgba[o] = rgba[o + 1] = rgba[o + 2] = 0;
    }
  }
  return jsQR(rgba, width, height)?.data ?? null;
}
