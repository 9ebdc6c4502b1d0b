import { randomUUID } from 'node:crypto';
import {
  GatewayFailure,
  type CreateChargeInput,
  type GatewayCharge,
  type GatewayChargeStatus,
  type GatewayVaPayment,
  type GatewayVirtualAccount,
  type PaymentGateway,
} from './gateway.ts';

export const MIDTRANS_API_BASE_URL = 'https://api.midtrans.com';
export const MIDTRANS_SNAP_BASE_URL = 'https://app.midtrans.com';
/** As for Xendit: a resident waiting for the payment page, or a job holding its lease, must not wait for ever. */
export const MIDTRANS_TIMEOUT_MS = 10_000;

/**
 * The estate's methods as Snap's `enabled_payments`: QRIS is `other_qris` (any QRIS app, GoPay and OVO included),
 * e-wallets are the two Snap pays by redirect. A unit's own virtual account is Xendit's (Midtrans has no fixed
 * account per customer on Snap), so `va` is refused in the settings rather than mapped here.
 */
const SNAP_PAYMENTS: Record<string, string[]> = {
  qris: ['other_qris'],
  ewallet: ['gopay', 'shopeepay'],
};

/**
 * Midtrans takes an order_id of at most 50 characters (letters, digits, `-`, `_`, `~`, `.`); our reference
 * (`kl-<estate uuid>-<24 hex>[-generation]`) is 64 or more. The order_id packs the same bytes in base64url, so it
 * still names the estate (a notification finds whose server key to check) and turns back into the reference.
 */
export function midtransOrderId(reference: string): string {
  const m = /^kl-([0-9a-f-]{36})-([0-9a-f]{24})(?:-(\d{1,6}))?$/.exec(reference);
  if (!m) throw new Error(`not a charge reference: ${reference}`);
  const bytes = Buffer.from(m[1].replace(/-/g, '') + m[2], 'hex');
  return `kl${bytes.toString('base64url')}${m[3] ? `.${m[3]}` : ''}`;
}

/** The reference an order_id packs, or null for anything midtransOrderId did not make. */
export function referenceOfOrderId(orderId: unknown): string | null {
  if (typeof orderId !== 'string') return null;
  const m = /^kl([A-Za-z0-9_-]{38})(?:\.(\d{1,6}))?$/.exec(orderId);
  if (!m) return null;
  const hex = Buffer.from(m[1], 'base64url').toString('hex');
  if (hex.length !== 56) return null;
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  const reference = `kl-${uuid}-${hex.slice(32)}${m[2] ? `-${m[2]}` : ''}`;
  // Only the one spelling of those bytes is ours: another base64url spelling of them is not an order we made.
  return midtransOrderId(reference) === orderId ? reference : null;
}

/** Midtrans's `2026-11-30 16:05:00 +0000`: an instant written in UTC, which Midtrans reads in any offset. */
function midtransTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} +0000`;
}

/** Midtrans writes rupiah as `"150000.00"`; IDR has no sen, so anything else is rounded to the rupiah. */
export function rupiahOfGross(gross: unknown): number {
  const n = typeof gross === 'number' ? gross : Number.parseFloat(String(gross ?? ''));
  return Number.isFinite(n) ? Math.round(n) : 0;
}

export interface MidtransStatus {
  status_code?: string;
  status_message?: string;
  transaction_id?: string;
  order_id?: string;
  gross_amount?: string;
  payment_type?: string;
  transaction_time?: string;
  transaction_status?: string;
  fraud_status?: string;
  settlement_time?: string;
  expiry_time?: string;
}

/** Paid is `settlement`, or a card `capture` that the fraud check accepted; a challenged capture waits for review. */
export function midtransChargeStatus(s: { transaction_status?: unknown; fraud_status?: unknown }): GatewayChargeStatus {
  switch (s.transaction_status) {
    case 'settlement':
      return 'paid';
    case 'capture':
      return s.fraud_status === 'accept' ? 'paid' : 'pending';
    case 'expire':
      return 'expired';
    case 'cancel':
    case 'deny':
    case 'failure':
      return 'failed';
    default:
      return 'pending';
  }
}

/**
 * Midtrans through its HTTP API: Snap `POST /snap/v1/transactions` makes the payment page, the Core API answers a
 * charge's status, expires, cancels and refunds it. The server key is the Basic user. Both addresses are settings so a
 * sandbox or a local fake can stand in. The official `midtrans-client` is not used: its addresses are static fields
 * shared by every instance (two estates on one hosted instance could not point at different places), and its axios
 * calls have no timeout.
 */
export class MidtransGateway implements PaymentGateway {
  readonly provider = 'midtrans';
  private readonly apiBase: string;
  private readonly snapBase: string;
  private readonly auth: string;

  constructor(private readonly opts: { serverKey: string; baseUrl?: string | null; snapBaseUrl?: string | null; methods?: string[] }) {
    this.apiBase = (opts.baseUrl || MIDTRANS_API_BASE_URL).replace(/\/+$/, '');
    this.snapBase = (opts.snapBaseUrl || MIDTRANS_SNAP_BASE_URL).replace(/\/+$/, '');
    this.auth = `Basic ${Buffer.from(`${opts.serverKey}:`).toString('base64')}`;
  }

  async createCharge(input: CreateChargeInput): Promise<GatewayCharge> {
    const orderId = midtransOrderId(input.reference);
    const start = new Date();
    const minutes = Math.max(1, Math.ceil((Date.parse(input.expiresAt) - start.getTime()) / 60_000));
    const methods = this.opts.methods?.length ? this.opts.methods : [input.method];
    const enabledPayments = [...new Set(methods.flatMap((m) => SNAP_PAYMENTS[m] ?? []))];
    const created = (await this.call('POST', `${this.snapBase}/snap/v1/transactions`, {
      transaction_details: { order_id: orderId, gross_amount: input.amount },
      item_details: [{ id: 'iuran', price: input.amount, quantity: 1, name: input.description.slice(0, 50) }],
      enabled_payments: enabledPayments.length ? enabledPayments : SNAP_PAYMENTS.qris,
      expiry: { start_time: midtransTime(start), unit: 'minutes', duration: minutes },
    })) as { token?: unknown; redirect_url?: unknown };
    if (typeof created.token !== 'string' || typeof created.redirect_url !== 'string') {
      throw new GatewayFailure('Midtrans answered without a Snap token', null, 'MALFORMED');
    }
    return {
      id: orderId,
      reference: input.reference,
      status: 'pending',
      amount: input.amount,
      qrString: null,
      checkoutUrl: created.redirect_url,
      expiresAt: new Date(start.getTime() + minutes * 60_000).toISOString(),
      paidAmount: null,
      paidAt: null,
      paymentId: null,
    };
  }

  /** `gatewayId` is the order_id. Before the resident picks a method on the Snap page Midtrans knows no transaction. */
  async getCharge(gatewayId: string): Promise<GatewayCharge> {
    const reference = referenceOfOrderId(gatewayId) ?? gatewayId;
    let s: MidtransStatus;
    try {
      s = (await this.call('GET', `${this.apiBase}/v2/${encodeURIComponent(gatewayId)}/status`)) as MidtransStatus;
    } catch (err) {
      if (err instanceof GatewayFailure && err.status === 404) return unstarted(gatewayId, reference);
      throw err;
    }
    const status = midtransChargeStatus(s);
    const amount = rupiahOfGross(s.gross_amount);
    const paidAt = s.settlement_time ?? s.transaction_time ?? null;
    return {
      id: gatewayId,
      reference: referenceOfOrderId(s.order_id) ?? String(s.order_id ?? ''),
      status,
      amount,
      qrString: null,
      checkoutUrl: null,
      expiresAt: null,
      paidAmount: status === 'paid' ? amount : null,
      paidAt: status === 'paid' && paidAt ? jakartaTimeToIso(paidAt) : null,
      paymentId: status === 'paid' ? (s.transaction_id ?? null) : null,
    };
  }

  async expireCharge(gatewayId: string): Promise<void> {
    try {
      await this.call('POST', `${this.apiBase}/v2/${encodeURIComponent(gatewayId)}/expire`);
    } catch (err) {
      // No transaction yet (the Snap page was never used): there is nothing at Midtrans to expire, and the page itself
      // ends with its own expiry.
      if (err instanceof GatewayFailure && err.status === 404) return;
      throw err;
    }
  }

  async refund(gatewayId: string, amount: number, reference: string): Promise<{ id: string }> {
    const refund = (await this.call('POST', `${this.apiBase}/v2/${encodeURIComponent(gatewayId)}/refund`, {
      refund_key: reference.slice(0, 100),
      amount,
      reason: 'Pengembalian dana iuran',
    })) as { refund_chargeback_id?: unknown; refund_key?: unknown };
    return { id: String(refund.refund_chargeback_id ?? refund.refund_key ?? reference) };
  }

  async ensureVirtualAccount(): Promise<GatewayVirtualAccount> {
    throw new GatewayFailure('Midtrans has no fixed virtual account per unit here', null, 'UNSUPPORTED');
  }

  async getVaPayment(): Promise<GatewayVaPayment | null> {
    throw new GatewayFailure('Midtrans has no fixed virtual account per unit here', null, 'UNSUPPORTED');
  }

  /** A status call for an order nobody made: 404 means Midtrans took the key, 401 that it refused it. */
  async testConnection(): Promise<void> {
    try {
      await this.call('GET', `${this.apiBase}/v2/klustera-test-${randomUUID()}/status`);
    } catch (err) {
      if (err instanceof GatewayFailure && err.status === 404) return;
      throw err;
    }
  }

  private async call(method: 'GET' | 'POST', url: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          authorization: this.auth,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(MIDTRANS_TIMEOUT_MS),
      });
    } catch (err) {
      const name = (err as { name?: string })?.name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new GatewayFailure('Midtrans did not answer in time', null, 'TIMEOUT');
      throw new GatewayFailure((err as Error)?.message || 'Midtrans unreachable', null, null);
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw new GatewayFailure('Midtrans did not answer in time', null, 'TIMEOUT');
    }
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      throw new GatewayFailure(`Midtrans answered ${res.status} without JSON`, res.status >= 400 ? res.status : null, 'MALFORMED');
    }
    const message = () =>
      (Array.isArray(parsed.error_messages) ? parsed.error_messages.join('; ') : String(parsed.status_message ?? '')) ||
      `HTTP ${res.status}`;
    if (!res.ok) throw new GatewayFailure(message(), res.status, String(parsed.status_code ?? res.status));
    // The Core API may answer HTTP 200 with its own status code in the body; 407 (expired) is an answer, not a failure.
    const code = Number(parsed.status_code);
    if (Number.isInteger(code) && code >= 400 && code !== 407) throw new GatewayFailure(message(), code, String(code));
    return parsed;
  }
}

function unstarted(orderId: string, reference: string): GatewayCharge {
  return {
    id: orderId,
    reference,
    status: 'pending',
    amount: 0,
    qrString: null,
    checkoutUrl: null,
    expiresAt: null,
    paidAmount: null,
    paidAt: null,
    paymentId: null,
  };
}

/** Midtrans writes its times as `2026-11-30 23:05:00` in Jakarta time (UTC+7), without the offset. */
function jakartaTimeToIso(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text);
  if (!m) return null;
  const at = Date.parse(`${m[1]}T${m[2]}+07:00`);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}
