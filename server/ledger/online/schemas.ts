import { z } from 'zod';
import { id, pageOf, paging } from '../../http/schemas.ts';
import { ONLINE_METHODS } from './gateway.ts';

export const GATEWAY_PROVIDERS = ['xendit', 'midtrans'] as const;
export const FEE_BEARERS = ['estate', 'resident'] as const;
export const CHARGE_STATUSES = ['creating', 'pending', 'paid', 'expired', 'failed', 'amount_mismatch'] as const;

const secret = z.string().trim().min(8, 'Minimal 8 karakter.').max(300, 'Maksimal 300 karakter.');
const baseUrl = z
  .string()
  .trim()
  .max(300)
  .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'Alamat harus diawali http:// atau https://')
  .transform((u) => u.replace(/\/+$/, ''));

/** An estate's gateway account. A secret left out keeps the stored one; secrets are never answered back. */
export const gatewaySettingsBody = z
  .object({
    provider: z.enum(GATEWAY_PROVIDERS),
    enabled: z.boolean(),
    /** Empty: the provider's production address. A sandbox or a local fake otherwise. */
    base_url: z
      .string()
      .trim()
      .max(300)
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'Alamat harus diawali http:// atau https://')
      .transform((u) => u.replace(/\/+$/, ''))
      .nullable()
      .optional(),
    /** Midtrans only: Snap's address (`base_url` is its Core API). Empty: production. */
    snap_base_url: baseUrl.nullable().optional(),
    methods: z.array(z.enum(ONLINE_METHODS)).min(1, 'Minimal 1 item.').max(10),
    /** Who pays the gateway's fee: the estate (booked as an expense) or the resident (added to the charge, later). */
    fee_bearer: z.enum(FEE_BEARERS),
    secret_key: secret.optional(),
    callback_token: secret.optional(),
  })
  .strict()
  // Midtrans signs with the server key and has no fixed account per unit on Snap; Snap's address is Midtrans's alone.
  .refine((b) => b.provider !== 'midtrans' || b.callback_token === undefined, {
    message: 'Midtrans tidak memakai callback token.',
    path: ['callback_token'],
  })
  .refine((b) => b.provider !== 'midtrans' || !b.methods.includes('va'), {
    message: 'Virtual account per unit hanya tersedia lewat Xendit.',
    path: ['methods'],
  })
  .refine((b) => b.provider === 'midtrans' || b.snap_base_url == null, { message: 'Hanya untuk Midtrans.', path: ['snap_base_url'] });

/** Which provider's settings to read or test; without it, the estate's gateway (the one switched on). */
export const gatewayProviderQuery = z.object({ provider: z.enum(GATEWAY_PROVIDERS).optional() }).strict();

export const gatewaySettingsResponse = z.object({
  provider: z.enum(GATEWAY_PROVIDERS),
  enabled: z.boolean(),
  base_url: z.string().nullable(),
  snap_base_url: z.string().nullable(),
  methods: z.array(z.enum(ONLINE_METHODS)),
  fee_bearer: z.enum(FEE_BEARERS),
  has_secret_key: z.boolean(),
  has_callback_token: z.boolean(),
  updated_at: z.string().nullable(),
});
export type GatewaySettings = z.infer<typeof gatewaySettingsResponse>;

export const gatewayTestResponse = z.object({ ok: z.literal(true) });

/** What the portal needs to offer paying online, and nothing of the account behind it. */
export const portalOnlinePaymentResponse = z.object({
  enabled: z.boolean(),
  /** Midtrans: the resident pays on Snap's page (`checkout_url`), which offers the methods itself. */
  provider: z.enum(GATEWAY_PROVIDERS).nullable(),
  methods: z.array(z.enum(ONLINE_METHODS)),
});
export type PortalOnlinePayment = z.infer<typeof portalOnlinePaymentResponse>;

/** A resident's request to pay online: chosen open invoices, or a free amount (paying ahead), or (neither) all due. */
export const portalChargeBody = z
  .object({
    unit_id: id.optional(),
    method: z.enum(ONLINE_METHODS),
    invoice_ids: z.array(id).min(1, 'Minimal 1 item.').max(24, 'Maksimal 24 item.').optional(),
    amount: z.number().int('Harus bilangan bulat.').positive('Harus lebih dari 0.').max(10_000_000, 'Maksimal 10000000.').optional(),
  })
  .strict()
  .refine((b) => !(b.invoice_ids && b.amount !== undefined), { message: 'Pilih tagihan atau jumlah, bukan keduanya.', path: ['amount'] });

export const onlineChargeResponse = z.object({
  id: z.string(),
  reference: z.string(),
  unit_id: z.string(),
  provider: z.string(),
  method: z.enum(ONLINE_METHODS),
  amount: z.number().int(),
  invoice_ids: z.array(z.string()),
  status: z.enum(CHARGE_STATUSES),
  qr_string: z.string().nullable(),
  expires_at: z.string().nullable(),
  payment_id: z.string().nullable(),
  paid_at: z.string().nullable(),
  created_at: z.string(),
});
export type OnlineChargeView = z.infer<typeof onlineChargeResponse>;

/** The office's list: newest first, by status and unit. */
export const chargeListQuery = z.object({ status: z.enum(CHARGE_STATUSES).optional(), unit_id: id.optional(), ...paging }).strict();
/** The office sees which unit by its code; the resident's own answer has no need of it. */
export const officeChargeResponse = onlineChargeResponse.extend({ unit_code: z.string().nullable() });
export type OfficeChargeView = z.infer<typeof officeChargeResponse>;
export const onlineChargePageResponse = pageOf(officeChargeResponse);

export const webhookAck = z.object({ received: z.literal(true), duplicate: z.boolean() });
