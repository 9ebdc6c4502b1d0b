/**
 * What the ledger needs from a payment gateway, whatever the provider. A provider (Xendit now; Midtrans, or Xendit's
 * newer API, later) implements this and nothing above it changes: the charge service, the webhook job and the
 * recording of money speak only these shapes.
 */
export type OnlineMethod = 'qris';
export const ONLINE_METHODS = ['qris'] as const;

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
  method: OnlineMethod;
  description: string;
  /** The charge's life, after which the QR no longer pays. */
  expiresAt: string;
}

export interface PaymentGateway {
  readonly provider: string;
  /** Idempotent per reference: the gateway is asked with the reference as its idempotency key. */
  createCharge(input: CreateChargeInput): Promise<GatewayCharge>;
  getCharge(gatewayId: string): Promise<GatewayCharge>;
  expireCharge(gatewayId: string): Promise<void>;
  refund(gatewayId: string, amount: number, reference: string): Promise<{ id: string }>;
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
