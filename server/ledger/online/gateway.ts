/**
 * What the ledger needs from a payment gateway, whatever the provider. A provider (Xendit now; Midtrans, or Xendit's
 * newer API, later) implements this and nothing above it changes: the charge service, the webhook job and the
 * recording of money speak only these shapes.
 */
export const ONLINE_METHODS = ['qris', 'va', 'ewallet'] as const;
export type OnlineMethod = (typeof ONLINE_METHODS)[number];
/** Banks whose fixed virtual accounts an estate can offer (Xendit's channel codes). */
export const VA_BANKS = ['BCA', 'BNI', 'BRI', 'MANDIRI', 'PERMATA'] as const;
export type VaBank = (typeof VA_BANKS)[number];
/** E-wallets a charge can go to. OVO pushes the payment to the payer's app by phone number; the others redirect. */
export const EWALLET_CHANNELS = ['OVO', 'DANA', 'SHOPEEPAY', 'LINKAJA'] as const;
export type EwalletChannel = (typeof EWALLET_CHANNELS)[number];

export type GatewayChargeStatus = 'pending' | 'paid' | 'expired' | 'failed';

export interface GatewayCharge {
  /** The gateway's own id for the charge. */
  id: string;
  /** Our deterministic reference, as the gateway holds it. */
  reference: string;
  status: GatewayChargeStatus;
  /** The amount the gateway holds for the charge (rupiah). */
  amount: number;
  qrString: string | null;
  /** Where the payer approves a redirect e-wallet charge (null for QRIS and OVO's push). */
  checkoutUrl: string | null;
  expiresAt: string | null;
  /** What the gateway says was paid, when paid (rupiah). */
  paidAmount: number | null;
  paidAt: string | null;
  /** The gateway's id for the payment made on the charge, when paid. */
  paymentId: string | null;
}

export interface CreateChargeInput {
  reference: string;
  amount: number;
  method: Exclude<OnlineMethod, 'va'>;
  /** The e-wallet, for method `ewallet`. */
  channel?: EwalletChannel | null;
  /** OVO's push goes to this number (+62…). */
  mobileNumber?: string | null;
  /** Where a redirect e-wallet sends the payer back to. */
  returnUrl?: string | null;
  description: string;
  /** The charge's life, after which the QR no longer pays. */
  expiresAt: string;
}

/** A reusable account number at a bank: every transfer into it is a payment. */
export interface GatewayVirtualAccount {
  id: string;
  reference: string;
  bank: VaBank;
  accountNumber: string;
  accountName: string | null;
}

/** One transfer into a virtual account, as the gateway holds it. */
export interface GatewayVaPayment {
  id: string;
  /** The gateway id of the account it was paid into. */
  accountId: string;
  status: 'paid' | 'pending' | 'failed';
  amount: number;
  paidAt: string | null;
}

export interface PaymentGateway {
  readonly provider: string;
  /** Idempotent per reference: the gateway is asked with the reference as its idempotency key. */
  createCharge(input: CreateChargeInput): Promise<GatewayCharge>;
  getCharge(gatewayId: string): Promise<GatewayCharge>;
  expireCharge(gatewayId: string): Promise<void>;
  refund(gatewayId: string, amount: number, reference: string): Promise<{ id: string }>;
  /**
   * The account with this reference, made if the gateway has none yet. Asked again (a retry after a crash, another
   * site of the estate) it answers the account already made instead of a second one. Only gateways with fixed
   * virtual accounts have it.
   */
  ensureVirtualAccount?(input: { reference: string; bank: VaBank; name: string }): Promise<GatewayVirtualAccount>;
  /** A transfer into the account `accountId`, or null when the gateway does not know it (yet). */
  getVaPayment?(accountId: string, paymentId: string, around?: string | null): Promise<GatewayVaPayment | null>;
  /** The account's transfers made since `since`: how a transfer whose callback never came is found. */
  listVaPayments?(accountId: string, since: Date): Promise<GatewayVaPayment[]>;
  /** Proves the keys and the address work, without moving money. */
  testConnection(): Promise<void>;
}

/** The gateway refused or could not be reached; `status` is its HTTP status when it answered. */
export class GatewayFailure extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
  }
}
