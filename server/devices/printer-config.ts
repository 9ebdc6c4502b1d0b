import { z } from 'zod';

/**
 * How the office reaches its receipt printer. Stored in the estate's settings (`settings/printer`) and reused by the
 * guard post for guest slips.
 */
const DEVICE_PATH = /^(\/dev\/[\w./-]+|\\\\\.\\[\w.-]+|(COM|LPT)\d{1,3}|.+\.prn)$/i;

export const printerConfigSchema = z
  .object({
    connection: z.enum(['network', 'usb', 'file']),
    host: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:-]+$/, 'host name or IP address').optional(),
    port: z.number().int().min(1).max(65535).default(9100),
    vendor_id: z.number().int().min(0).max(0xffff).optional(),
    product_id: z.number().int().min(0).max(0xffff).optional(),
    // Only device files (or an explicit .prn print-to-file): a settings write must not be able to overwrite data files.
    device_path: z.string().max(300).regex(DEVICE_PATH, 'a device such as /dev/usb/lp0, COM3, or a .prn file').optional(),
    paper_width: z.union([z.literal(58), z.literal(80)]).default(58),
    printer_type: z.enum(['epson', 'star']).default('epson'),
    timeout_ms: z.number().int().min(500).max(60_000).default(5000),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.connection === 'network' && !c.host) ctx.addIssue({ code: 'custom', path: ['host'], message: 'required for a network printer' });
    if (c.connection === 'usb') {
      if (c.vendor_id === undefined) ctx.addIssue({ code: 'custom', path: ['vendor_id'], message: 'required for a USB printer' });
      if (c.product_id === undefined) ctx.addIssue({ code: 'custom', path: ['product_id'], message: 'required for a USB printer' });
    }
    if (c.connection === 'file' && !c.device_path) ctx.addIssue({ code: 'custom', path: ['device_path'], message: 'required for a device file' });
  });

export type PrinterConfig = z.infer<typeof printerConfigSchema>;
