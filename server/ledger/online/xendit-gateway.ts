import { Balance, PaymentMethod, PaymentRequest, Refund } from 'xendit-node';
import type { PaymentRequest as XenditPaymentRequest } from 'xendit-node/payment_request/models/index.js';
import { GatewayFailure, type CreateChargeInput, type GatewayCharge, type GatewayChargeStatus, type PaymentGateway } from './gateway.ts';

export const XENDIT_BASE_URL = 'https://api.xendit.co';
/**
 * How long a call to Xendit may take before it counts as unreachable. xendit-node's fetch has no timeout of its own,
 * and a resident waiting on a QR (or a job holding its lease) must not wait on a silent connection for ever.
 */
export const XENDIT_TIMEOUT_MS = 10_000;

/**
 * Xendit through xendit-node, on the Payment Requests API: QRIS is a one-time `QR_CODE` payment method with channel
 * `QRIS`. The base URL is a setting so a sandbox or a local fake can stand in.
 */
export class XenditGateway implements PaymentGateway {
  readonly provider = 'xendit';
  private readonly requests: PaymentRequest;
  private readonly methods: PaymentMethod;
  private readonly refunds: Refund;
  private readonly balance: Balance;

  constructor(opts: { secretKey: string; baseUrl?: string | null }) {
    const conf = { secretKey: opts.secretKey, xenditURL: (opts.baseUrl || XENDIT_BASE_URL).replace(/\/+$/, '') };
    this.requests = new PaymentRequest(conf);
    this.methods = new PaymentMethod(conf);
    this.refunds = new Refund(conf);
    this.balance = new Balance(conf);
  }

  async createCharge(input: CreateChargeInput): Promise<GatewayCharge> {
    const created = await call(() =>
      this.requests.createPaymentRequest({
        idempotencyKey: input.reference,
        data: {
          referenceId: input.reference,
          amount: input.amount,
          currency: 'IDR',
          description: input.description,
          paymentMethod: {
            type: 'QR_CODE',
            reusability: 'ONE_TIME_USE',
            qrCode: { channelCode: 'QRIS', channelProperties: { expiresAt: new Date(input.expiresAt) } },
          },
        },
      }),
    );
    return toCharge(created);
  }

  async getCharge(gatewayId: string): Promise<GatewayCharge> {
    return toCharge(await call(() => this.requests.getPaymentRequestByID({ paymentRequestId: gatewayId })));
  }

  async expireCharge(gatewayId: string): Promise<void> {
    const charge = await call(() => this.requests.getPaymentRequestByID({ paymentRequestId: gatewayId }));
    await call(() => this.methods.expirePaymentMethod({ paymentMethodId: charge.paymentMethod.id }));
  }

  async refund(gatewayId: string, amount: number, reference: string): Promise<{ id: string }> {
    const refund = await call(() =>
      this.refunds.createRefund({
        idempotencyKey: reference,
        data: { paymentRequestId: gatewayId, amount, referenceId: reference, currency: 'IDR', reason: 'REQUESTED_BY_CUSTOMER' },
      }),
    );
    return { id: String(refund.id) };
  }

  async testConnection(): Promise<void> {
    await call(() => this.balance.getBalance({ accountType: 'CASH' }));
  }
}

function statusOf(status: string): GatewayChargeStatus {
  switch (status) {
    case 'SUCCEEDED':
      return 'paid';
    case 'EXPIRED':
      return 'expired';
    case 'FAILED':
    case 'CANCELED':
    case 'VOIDED':
      return 'failed';
    default:
      return 'pending';
  }
}

function toCharge(pr: XenditPaymentRequest): GatewayCharge {
  const qr = pr.paymentMethod?.qrCode?.channelProperties;
  const status = statusOf(String(pr.status));
  const amount = Number(pr.amount ?? 0);
  return {
    id: pr.id,
    reference: pr.referenceId,
    status,
    amount,
    qrString: qr?.qrString ?? null,
    expiresAt: qr?.expiresAt && !Number.isNaN(qr.expiresAt.getTime()) ? qr.expiresAt.toISOString() : null,
    // A payment request is paid whole or not at all: what was paid is its amount.
    paidAmount: status === 'paid' ? amount : null,
    paidAt: status === 'paid' ? (pr.updated ?? null) : null,
    paymentId: status === 'paid' ? pr.id : null,
  };
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GatewayFailure('Xendit did not answer in time', null, 'TIMEOUT')), XENDIT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } catch (err) {
    if (err instanceof GatewayFailure) throw err;
    const e = err as { name?: string; status?: number; errorCode?: string; errorMessage?: string; message?: string };
    if (e?.name === 'XenditSdkError') throw new GatewayFailure(e.errorMessage || 'Xendit error', e.status ?? null, e.errorCode ?? null);
    throw new GatewayFailure(e?.message || 'Xendit unreachable', null, null);
  } finally {
    clearTimeout(timer);
  }
}
