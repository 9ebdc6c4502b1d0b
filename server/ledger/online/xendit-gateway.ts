import { Balance, PaymentMethod, PaymentRequest, Refund } from 'xendit-node';
import type { PaymentMethod as XenditPaymentMethod } from 'xendit-node/payment_method/models/index.js';
import type { PaymentMethodParameters, PaymentRequest as XenditPaymentRequest } from 'xendit-node/payment_request/models/index.js';
import {
  GatewayFailure,
  type CreateChargeInput,
  type GatewayCharge,
  type GatewayChargeStatus,
  type GatewayVaPayment,
  type GatewayVirtualAccount,
  type PaymentGateway,
  type VaBank,
} from './gateway.ts';

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
          paymentMethod: paymentMethodOf(input),
        },
      }),
    );
    return toCharge(created);
  }

  async ensureVirtualAccount(input: { reference: string; bank: VaBank; name: string }): Promise<GatewayVirtualAccount> {
    // Xendit takes no idempotency key for payment methods: the reference is looked up first, so a retry after a crash
    // (or the estate's other site) finds the account made before instead of opening a second number.
    const found = await call(() =>
      this.methods.getAllPaymentMethods({ referenceId: input.reference, type: ['VIRTUAL_ACCOUNT'], reusability: 'MULTIPLE_USE' }),
    );
    const existing = found.data.find((pm) => pm.referenceId === input.reference && pm.virtualAccount);
    if (existing) return toVirtualAccount(existing, input.bank);
    const created = await call(() =>
      this.methods.createPaymentMethod({
        data: {
          type: 'VIRTUAL_ACCOUNT',
          reusability: 'MULTIPLE_USE',
          referenceId: input.reference,
          description: `Iuran ${input.name}`.slice(0, 100),
          virtualAccount: { channelCode: input.bank, currency: 'IDR', channelProperties: { customerName: input.name.slice(0, 50) } },
        },
      }),
    );
    return toVirtualAccount(created, input.bank);
  }

  async getVaPayment(accountId: string, paymentId: string, around?: string | null): Promise<GatewayVaPayment | null> {
    // No lookup by payment id exists; the account's payments around the callback's time are few.
    const at = around ? Date.parse(around) : Number.NaN;
    const window = Number.isNaN(at)
      ? {}
      : { createdGte: new Date(at - 2 * 86_400_000), createdLte: new Date(Math.min(at + 2 * 86_400_000, Date.now() + 86_400_000)) };
    return (await this.vaPayments(accountId, window)).find((p) => p.id === paymentId) ?? null;
  }

  listVaPayments(accountId: string, since: Date): Promise<GatewayVaPayment[]> {
    return this.vaPayments(accountId, { createdGte: since });
  }

  private async vaPayments(accountId: string, window: { createdGte?: Date; createdLte?: Date }): Promise<GatewayVaPayment[]> {
    const answer = (await call(() => this.methods.getPaymentsByPaymentMethodId({ paymentMethodId: accountId, limit: 100, ...window }))) as {
      data?: Array<{
        id?: unknown;
        status?: unknown;
        amount?: unknown;
        updated?: unknown;
        created?: unknown;
        payment_method?: { id?: unknown };
      }>;
    };
    const out: GatewayVaPayment[] = [];
    for (const p of answer.data ?? []) {
      const amount = Number(p.amount);
      if (typeof p.id !== 'string' || !Number.isSafeInteger(amount)) continue;
      const status = p.status === 'SUCCEEDED' ? 'paid' : p.status === 'FAILED' ? 'failed' : 'pending';
      const paidAt = typeof p.updated === 'string' && !Number.isNaN(Date.parse(p.updated)) ? new Date(p.updated).toISOString() : null;
      out.push({ id: p.id, accountId: String(p.payment_method?.id ?? accountId), status, amount, paidAt });
    }
    return out;
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

function paymentMethodOf(input: CreateChargeInput): PaymentMethodParameters {
  if (input.method === 'ewallet') {
    const channel = input.channel ?? 'DANA';
    // OVO has no page to open: Xendit pushes the payment to the app of that phone number.
    const channelProperties =
      channel === 'OVO'
        ? { mobileNumber: input.mobileNumber ?? '' }
        : { successReturnUrl: input.returnUrl ?? '', failureReturnUrl: input.returnUrl ?? '' };
    return { type: 'EWALLET', reusability: 'ONE_TIME_USE', ewallet: { channelCode: channel, channelProperties } };
  }
  return {
    type: 'QR_CODE',
    reusability: 'ONE_TIME_USE',
    qrCode: { channelCode: 'QRIS', channelProperties: { expiresAt: new Date(input.expiresAt) } },
  };
}

function toVirtualAccount(pm: XenditPaymentMethod, bank: VaBank): GatewayVirtualAccount {
  const number = pm.virtualAccount?.channelProperties?.virtualAccountNumber;
  if (!number) throw new GatewayFailure('Xendit answered a virtual account without a number', null, 'NO_ACCOUNT_NUMBER');
  return {
    id: pm.id,
    reference: pm.referenceId ?? '',
    bank: (pm.virtualAccount?.channelCode as VaBank | undefined) ?? bank,
    accountNumber: number,
    accountName: pm.virtualAccount?.channelProperties?.customerName ?? null,
  };
}

/** The page a redirect e-wallet charge is approved on; a phone opens the mobile address best. */
function checkoutUrlOf(pr: XenditPaymentRequest): string | null {
  const auth = (pr.actions ?? []).filter((a) => a.action === 'AUTH' && typeof a.url === 'string' && /^https?:\/\//.test(a.url));
  for (const type of ['MOBILE', 'WEB', 'DEEPLINK']) {
    const hit = auth.find((a) => a.urlType === type);
    if (hit) return hit.url;
  }
  return null;
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
    checkoutUrl: checkoutUrlOf(pr),
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
