import { z } from 'zod';
import { isDevicePathShape, isHostShape } from './printer-address.ts';

/**
 * How the office reaches its receipt printer. Stored in the estate's settings (`settings/printer`) and reused by the
 * guard post for guest slips.
 */
export const printerConfigSchema = z
  .object({
    connection: z.enum(['network', 'usb', 'file']),
    host: z.string().trim().min(1).max(253).refine(isHostShape, 'Nama host atau alamat IP tidak sah.').optional(),
    port: z.number().int().min(1).max(65535).default(9100),
    vendor_id: z.number().int().min(0).max(0xffff).optional(),
    product_id: z.number().int().min(0).max(0xffff).optional(),
    // Only device nodes: a settings write must never name an ordinary file. The shape is checked here; whether it is
    // really a printer device is checked on save and again before every job (printer-target.ts).
    device_path: z.string().max(200).refine(isDevicePathShape, 'Pilih perangkat seperti /dev/usb/lp0, /dev/ttyUSB0 atau COM3.').optional(),
    paper_width: z.union([z.literal(58), z.literal(80)]).default(58),
    printer_type: z.enum(['epson', 'star']).default('epson'),
    timeout_ms: z.number().int().min(500).max(60_000).default(5000),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.connection === 'network' && !c.host)
      ctx.addIssue({ code: 'custom', path: ['host'], message: 'Wajib diisi untuk printer jaringan.' });
    if (c.connection === 'usb') {
      if (c.vendor_id === undefined) ctx.addIssue({ code: 'custom', path: ['vendor_id'], message: 'Wajib diisi untuk printer USB.' });
      if (c.product_id === undefined) ctx.addIssue({ code: 'custom', path: ['product_id'], message: 'Wajib diisi untuk printer USB.' });
    }
    if (c.connection === 'file' && !c.device_path)
      ctx.addIssue({ code: 'custom', path: ['device_path'], message: 'Wajib diisi untuk berkas perangkat.' });
  });

export type PrinterConfig = z.infer<typeof printerConfigSchema>;
