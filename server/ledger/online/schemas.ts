import { z } from 'zod';
import { id, pageOf, paging } from '../../http/schemas.ts';
import { EWALLET_CHANNELS, ONLINE_METHODS, VA_BANKS, type VaBank } from './gateway.ts';
import { MAX_VA_FEE } from './gateway-fee.ts';

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

const vaFee = z.number().int('Harus bilangan bulat.').min(0, 'Minimal 0.').max(MAX_VA_FEE, `Maksimal ${MAX_VA_FEE}.`);
const vaFeesBody = z
  .object(Object.fromEntries(VA_BANKS.map((b) => [b, vaFee.optional()])) as Record<VaBank, z.ZodOptional<typeof vaFee>>)
  .strict();
const vaFeesResponse = z.object(Object.fromEntries(VA_BANKS.map((b) => [b, z.number().int()])) as Record<VaBank, z.ZodNumber>);

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
    /** The banks a unit can have its own virtual account at, when `va` is offered. */
    va_banks: z.array(z.enum(VA_BANKS)).max(VA_BANKS.length).optional(),
    /** The e-wallets a charge can go to, when `ewallet` is offered. */
    ewallet_channels: z.array(z.enum(EWALLET_CHANNELS)).max(EWALLET_CHANNELS.length).optional(),
    /** Who pays the gateway's fee: the estate (booked as an expense) or the resident (added to the charge, later). */
    fee_bearer: z.enum(FEE_BEARERS),
    /** The fee per transfer into a virtual account, per bank (rupiah, VAT included); a bank left out keeps its fee. */
    va_fees: vaFeesBody.optional(),
    secret_key: secret.optional(),
    callback_token: secret.optional(),
  })
  .strict()
  .refine((b) => !b.methods.includes('va') || (b.va_banks?.length ?? 0) > 0, { message: 'Pilih minimal 1 bank.', path: ['va_banks'] })
  .refine((b) => !b.methods.includes('ewallet') || (b.ewallet_channels?.length ?? 0) > 0, {
    message: 'Pilih minimal 1 e-wallet.',
    path: ['ewallet_channels'],
  })
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
  va_banks: z.array(z.enum(VA_BANKS)),
  ewallet_channels: z.array(z.enum(EWALLET_CHANNELS)),
  fee_bearer: z.enum(FEE_BEARERS),
  /** The fee per transfer into a virtual account at each bank (the estate's own figure, else the standard one). */
  va_fees: vaFeesResponse,
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
  va_banks: z.array(z.enum(VA_BANKS)),
  ewallet_channels: z.array(z.enum(EWALLET_CHANNELS)),
});
export type PortalOnlinePayment = z.infer<typeof portalOnlinePaymentResponse>;

/** A resident's request to pay online: chosen open invoices, or a free amount (paying ahead), or (neither) all due. */
export const portalChargeBody = z
  .object({
    unit_id: id.optional(),
    /** A virtual account is not a charge: it is the unit's own number (…/portal/virtual-accounts). */
    method: z.enum(['qris', 'ewallet']),
    channel: z.enum(EWALLET_CHANNELS).optional(),
    /** OVO only: the number its app is on, as 08…, 628… or +628…. */
    mobile_number: z
      .string()
      .trim()
      .regex(/^(\+62|62|0)8\d{7,11}$/, 'Nomor HP tidak sah (contoh 081234567890).')
      .transform((n) => `+62${n.replace(/^(\+62|62|0)/, '')}`)
      .optional(),
    invoice_ids: z.array(id).min(1, 'Minimal 1 item.').max(24, 'Maksimal 24 item.').optional(),
    amount: z.number().int('Harus bilangan bulat.').positive('Harus lebih dari 0.').max(10_000_000, 'Maksimal 10000000.').optional(),
  })
  .strict()
  .refine((b) => !(b.invoice_ids && b.amount !== undefined), { message: 'Pilih tagihan atau jumlah, bukan keduanya.', path: ['amount'] })
  .refine((b) => b.method !== 'ewallet' || b.channel !== undefined, { message: 'Pilih e-wallet.', path: ['channel'] })
  .refine((b) => b.method === 'ewallet' || b.channel === undefined, { message: 'Hanya untuk e-wallet.', path: ['channel'] })
  .refine((b) => b.channel !== 'OVO' || b.mobile_number !== undefined, { message: 'Isi nomor HP OVO.', path: ['mobile_number'] });

export const onlineChargeResponse = z.object({
  id: z.string(),
  reference: z.string(),
  unit_id: z.string(),
  provider: z.string(),
  method: z.enum(ONLINE_METHODS),
  channel: z.enum(EWALLET_CHANNELS).nullable(),
  amount: z.number().int(),
  /** The gateway's fee included in `amount` when the resident bears it (0 otherwise); the dues are the rest. */
  fee_amount: z.number().int(),
  invoice_ids: z.array(z.string()),
  status: z.enum(CHARGE_STATUSES),
  qr_string: z.string().nullable(),
  /** A redirect e-wallet's page to approve the payment on, while pending. */
  checkout_url: z.string().nullable(),
  expires_at: z.string().nullable(),
  payment_id: z.string().nullable(),
  paid_at: z.string().nullable(),
  created_at: z.string(),
});
export type OnlineChargeView = z.infer<typeof onlineChargeResponse>;

/** The office's list: newest first, by status and unit. */
export const chargeListQuery = z.object({ status: z.enum(CHARGE_STATUSES).optional(), unit_id: id.optional(), ...paging }).strict();
/** The office sees which unit by its code; the resident's own answer has no need of it. */
export const officeChargeResponse = onlineChargeResponse.extend({
  unit_code: z.string().nullable(),
  /** A refund asked for from the office, and how far it got; null when there is none. */
  refund: z
    .object({
      status: z.enum(['requesting', 'refunded', 'failed']),
      amount: z.number().int(),
      reason: z.string(),
      refunded_at: z.string().nullable(),
    })
    .nullable(),
});
export type OfficeChargeView = z.infer<typeof officeChargeResponse>;
export const onlineChargePageResponse = pageOf(officeChargeResponse);

export const webhookAck = z.object({ received: z.literal(true), duplicate: z.boolean() });

/** A refund of a paid online charge from the office: the whole payment unless an amount is given, always with a reason. */
export const onlineRefundBody = z
  .object({
    amount: z.number().int('Harus bilangan bulat.').positive('Harus lebih dari 0.').max(100_000_000, 'Maksimal 100000000.').optional(),
    reason: z.string().trim().min(3, 'Minimal 3 karakter.').max(300, 'Maksimal 300 karakter.'),
  })
  .strict();

export const onlineRefundResponse = z.object({
  charge_id: z.string(),
  status: z.enum(['requesting', 'refunded', 'failed']),
  amount: z.number().int(),
  reason: z.string(),
  reference: z.string(),
  gateway_refund_id: z.string().nullable(),
  /** The ledger payment the refund reversed. */
  payment_id: z.string(),
  /** After a partial refund: the payment holding what was kept. */
  kept_payment_id: z.string().nullable(),
  refunded_at: z.string().nullable(),
});
export type OnlineRefundView = z.infer<typeof onlineRefundResponse>;

/** A unit's own virtual account, with what the unit owes now. */
export const virtualAccountResponse = z.object({
  id: z.string(),
  unit_id: z.string(),
  bank: z.enum(VA_BANKS),
  status: z.enum(['creating', 'active']),
  account_number: z.string().nullable(),
  account_name: z.string().nullable(),
  /** The bank's fee the resident adds to a transfer when the estate has the resident bear it (0 otherwise). */
  fee_amount: z.number().int(),
  created_at: z.string(),
});
export type VirtualAccountView = z.infer<typeof virtualAccountResponse>;
export const unitVirtualAccountsResponse = z.object({
  unit_id: z.string(),
  amount_due: z.number().int(),
  /** Who bears the bank's fee per transfer; `resident`: transfer `amount_due` plus the account's `fee_amount`. */
  fee_bearer: z.enum(FEE_BEARERS),
  items: z.array(virtualAccountResponse),
});
export const virtualAccountBody = z.object({ unit_id: id.optional(), bank: z.enum(VA_BANKS) }).strict();
export const officeVirtualAccountBody = z.object({ bank: z.enum(VA_BANKS) }).strict();
export const unitVirtualAccountsQuery = z.object({ unit_id: id.optional() }).strict();
