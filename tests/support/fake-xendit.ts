// A stand-in for Xendit on 127.0.0.1, speaking the Payment Requests API (QRIS as a `QR_CODE` payment method) in the
// documented JSON shapes, strictly enough that xendit-node parses its answers: Basic auth with the secret key,
// snake_case bodies, `idempotency-key` honoured, documented error bodies ({ error_code, message }). It also sends
// the documented `payment.succeeded` callback with the `x-callback-token` (and `webhook-id`) headers. E-wallets are
// `EWALLET` payment requests (redirect channels answer REQUIRES_ACTION with AUTH actions; OVO pushes to a +62 number
// and answers PENDING); a unit's fixed virtual account is a reusable `VIRTUAL_ACCOUNT` payment method
// (`/v2/payment_methods`) whose transfers are payments listed under it.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePaymentRequest {
  id: string;
  business_id: string;
  reference_id: string;
  currency: 'IDR';
  amount: number;
  country: 'ID';
  description: string | null;
  status: 'PENDING' | 'REQUIRES_ACTION' | 'SUCCEEDED' | 'FAILED' | 'EXPIRED';
  capture_method: 'AUTOMATIC';
  actions: unknown[];
  metadata: Record<string, unknown> | null;
  failure_code: string | null;
  created: string;
  updated: string;
  payment_method: {
    id: string;
    type: 'QR_CODE' | 'EWALLET';
    reference_id: string;
    description: string | null;
    created: string;
    updated: string;
    reusability: 'ONE_TIME_USE';
    status: 'ACTIVE' | 'EXPIRED' | 'INACTIVE';
    qr_code?: { channel_code: 'QRIS'; channel_properties: { qr_string: string; expires_at: string } };
    ewallet?: { channel_code: string; channel_properties: Record<string, string> };
    metadata: null;
  };
}

export interface FakeVirtualAccount {
  id: string;
  business_id: string;
  type: 'VIRTUAL_ACCOUNT';
  country: 'ID';
  customer_id: null;
  reference_id: string;
  description: string | null;
  status: 'ACTIVE' | 'EXPIRED';
  reusability: 'MULTIPLE_USE';
  actions: unknown[];
  metadata: null;
  billing_information: null;
  failure_code: null;
  created: string;
  updated: string;
  virtual_account: {
    amount: null;
    currency: 'IDR';
    channel_code: string;
    channel_properties: { customer_name: string; virtual_account_number: string };
  };
}

/** A transfer into a virtual account, as `GET /v2/payment_methods/:id/payments` lists it. */
export interface FakeVaPayment {
  id: string;
  business_id: string;
  payment_request_id: null;
  reference_id: string;
  customer_id: null;
  currency: 'IDR';
  amount: number;
  country: 'ID';
  status: 'SUCCEEDED' | 'PENDING' | 'FAILED';
  payment_method: FakeVirtualAccount;
  channel_properties: null;
  payment_details: null;
  failure_code: null;
  created: string;
  updated: string;
  metadata: null;
}

const EWALLETS = ['OVO', 'DANA', 'SHOPEEPAY', 'LINKAJA'];
const VA_BANKS = ['BCA', 'BNI', 'BRI', 'MANDIRI', 'PERMATA'];

export interface FakeRequestLog {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

const BUSINESS_ID = '5f27a14a9bf05c73dd040bc8';

export class FakeXendit {
  readonly requests: FakeRequestLog[] = [];
  readonly paymentRequests = new Map<string, FakePaymentRequest>();
  /** Refunds made, by their idempotency key (a repeat under the same key answers the same refund). */
  readonly refunds = new Map<string, { id: string; payment_request_id: string; amount: number; reference_id: string | null }>();
  private readonly byIdempotencyKey = new Map<string, string>();
  /** The body first sent under each idempotency key: the same key with another body is refused, as Xendit does. */
  private readonly bodyOfKey = new Map<string, string>();
  private server!: http.Server;
  url = '';
  /** Set to make every API call fail as if Xendit were down (503). */
  down = false;
  /** Set to make every API call go unanswered, as a connection that went silent. */
  silent = false;
  readonly virtualAccounts = new Map<string, FakeVirtualAccount>();
  readonly vaPayments: FakeVaPayment[] = [];
  /** How long making a virtual account takes, so requests at once overlap. */
  vaDelayMs = 0;

  constructor(readonly secretKey: string) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        try {
          this.handle(req, raw, res);
        } catch (err) {
          send(res, 500, { error_code: 'SERVER_ERROR', message: String(err) });
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  calls(method: string, path: RegExp): FakeRequestLog[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  /** A payment request made directly at Xendit (as if another client had made it). */
  createPaymentRequest(input: { reference_id: string; amount: number; idempotencyKey?: string }): FakePaymentRequest {
    const now = new Date().toISOString();
    const pr: FakePaymentRequest = {
      id: `pr-${randomUUID()}`,
      business_id: BUSINESS_ID,
      reference_id: input.reference_id,
      currency: 'IDR',
      amount: input.amount,
      country: 'ID',
      description: null,
      status: 'PENDING',
      capture_method: 'AUTOMATIC',
      actions: [],
      metadata: null,
      failure_code: null,
      created: now,
      updated: now,
      payment_method: {
        id: `pm-${randomUUID()}`,
        type: 'QR_CODE',
        reference_id: randomUUID(),
        description: null,
        created: now,
        updated: now,
        reusability: 'ONE_TIME_USE',
        status: 'ACTIVE',
        qr_code: {
          channel_code: 'QRIS',
          channel_properties: {
            qr_string: `00020101021226660014ID.CO.QRIS.WWW${input.reference_id.slice(-12)}5303360540${input.amount}5802ID6304ABCD`,
            expires_at: new Date(Date.now() + 30 * 60_000).toISOString(),
          },
        },
        metadata: null,
      },
    };
    this.paymentRequests.set(pr.id, pr);
    if (input.idempotencyKey) this.byIdempotencyKey.set(input.idempotencyKey, pr.id);
    return pr;
  }

  byReference(reference: string): FakePaymentRequest | undefined {
    return [...this.paymentRequests.values()].find((p) => p.reference_id === reference);
  }

  /** The payer scans and pays: the request succeeds (with another amount when `amount` is given). */
  pay(id: string, opts: { amount?: number } = {}): FakePaymentRequest {
    const pr = this.paymentRequests.get(id)!;
    pr.status = 'SUCCEEDED';
    if (opts.amount !== undefined) pr.amount = opts.amount;
    pr.updated = new Date().toISOString();
    return pr;
  }

  /** The e-wallet refused or the payer cancelled. */
  fail(id: string, code = 'USER_DID_NOT_AUTHORIZE_THE_PAYMENT'): FakePaymentRequest {
    const pr = this.paymentRequests.get(id)!;
    pr.status = 'FAILED';
    pr.failure_code = code;
    pr.actions = [];
    pr.updated = new Date().toISOString();
    return pr;
  }

  /** The documented `payment.failed` callback body. */
  paymentFailedBody(pr: FakePaymentRequest, paymentId = `py-${randomUUID()}`) {
    const body = this.paymentSucceededBody(pr, paymentId);
    return { ...body, event: 'payment.failed', data: { ...body.data, status: 'FAILED', failure_code: pr.failure_code } };
  }

  /** Somebody transfers `amount` into the account at their bank: a payment under the account, at once SUCCEEDED. */
  transferToVa(accountId: string, amount: number): FakeVaPayment {
    const va = this.virtualAccounts.get(accountId)!;
    const now = new Date().toISOString();
    const payment: FakeVaPayment = {
      id: `py-${randomUUID()}`,
      business_id: BUSINESS_ID,
      payment_request_id: null,
      reference_id: randomUUID(),
      customer_id: null,
      currency: 'IDR',
      amount,
      country: 'ID',
      status: 'SUCCEEDED',
      payment_method: va,
      channel_properties: null,
      payment_details: null,
      failure_code: null,
      created: now,
      updated: now,
      metadata: null,
    };
    this.vaPayments.push(payment);
    return payment;
  }

  /** The documented `payment.succeeded` callback of a transfer into a virtual account. */
  vaPaymentSucceededBody(payment: FakeVaPayment) {
    return {
      event: 'payment.succeeded',
      business_id: BUSINESS_ID,
      created: new Date().toISOString(),
      data: { ...payment },
    };
  }

  expire(id: string): void {
    const pr = this.paymentRequests.get(id)!;
    pr.status = 'EXPIRED';
    pr.payment_method.status = 'EXPIRED';
    pr.updated = new Date().toISOString();
  }

  /** The documented `payment.succeeded` callback body for a payment request. */
  paymentSucceededBody(pr: FakePaymentRequest, paymentId = `py-${randomUUID()}`) {
    return {
      event: 'payment.succeeded',
      business_id: BUSINESS_ID,
      created: new Date().toISOString(),
      data: {
        id: paymentId,
        payment_request_id: pr.id,
        reference_id: pr.reference_id,
        customer_id: null,
        currency: 'IDR',
        amount: pr.amount,
        country: 'ID',
        status: 'SUCCEEDED',
        payment_method: pr.payment_method,
        channel_properties: null,
        payment_details: null,
        failure_code: null,
        created: pr.created,
        updated: pr.updated,
        metadata: null,
      },
    };
  }

  /** Posts a callback to our server the way Xendit does. */
  async sendWebhook(target: string, body: unknown, opts: { token: string; webhookId?: string }): Promise<{ status: number; body: any }> {
    const res = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-callback-token': opts.token,
        ...(opts.webhookId ? { 'webhook-id': opts.webhookId } : {}),
        'user-agent': 'Xendit-Webhook',
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed };
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    let body: any = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { error_code: 'API_VALIDATION_ERROR', message: 'Body is not JSON' });
      }
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
    if (this.silent) return;
    if (this.down) return send(res, 503, { error_code: 'SERVER_ERROR', message: 'Service unavailable' });
    const expected = `Basic ${Buffer.from(`${this.secretKey}:`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return send(res, 401, { error_code: 'INVALID_API_KEY', message: 'API key is not authorized for this API service' });
    }

    if (req.method === 'GET' && url.pathname === '/balance') return send(res, 200, { balance: 1_250_000 });

    if (req.method === 'POST' && url.pathname === '/v2/payment_methods') {
      const problem = invalidVirtualAccount(body);
      if (problem) return send(res, 400, { error_code: 'API_VALIDATION_ERROR', message: problem });
      const now = new Date().toISOString();
      const va: FakeVirtualAccount = {
        id: `pm-${randomUUID()}`,
        business_id: BUSINESS_ID,
        type: 'VIRTUAL_ACCOUNT',
        country: 'ID',
        customer_id: null,
        reference_id: body.reference_id,
        description: body.description ?? null,
        status: 'ACTIVE',
        reusability: 'MULTIPLE_USE',
        actions: [],
        metadata: null,
        billing_information: null,
        failure_code: null,
        created: now,
        updated: now,
        virtual_account: {
          amount: null,
          currency: 'IDR',
          channel_code: body.virtual_account.channel_code,
          channel_properties: {
            customer_name: body.virtual_account.channel_properties.customer_name,
            virtual_account_number: `${8800 + VA_BANKS.indexOf(body.virtual_account.channel_code)}${String(this.virtualAccounts.size + 1).padStart(10, '0')}`,
          },
        },
      };
      const answer = () => {
        this.virtualAccounts.set(va.id, va);
        send(res, 201, va);
      };
      if (this.vaDelayMs > 0) setTimeout(answer, this.vaDelayMs);
      else answer();
      return;
    }

    if (req.method === 'GET' && url.pathname === '/v2/payment_methods') {
      const refs = url.searchParams.getAll('reference_id');
      const types = url.searchParams.getAll('type');
      const data = [...this.virtualAccounts.values()].filter(
        (va) => (!refs.length || refs.includes(va.reference_id)) && (!types.length || types.includes(va.type)),
      );
      return send(res, 200, { data, has_more: false });
    }

    const pm = /^\/v2\/payment_methods\/([^/]+)\/payments$/.exec(url.pathname);
    if (req.method === 'GET' && pm) {
      const va = this.virtualAccounts.get(decodeURIComponent(pm[1]));
      if (!va) return send(res, 404, { error_code: 'DATA_NOT_FOUND', message: 'Payment method not found' });
      const gte = url.searchParams.get('created[gte]');
      const lte = url.searchParams.get('created[lte]');
      const data = this.vaPayments.filter((p) => p.payment_method.id === va.id && (!gte || p.created >= gte) && (!lte || p.created <= lte));
      return send(res, 200, { data: data.slice(0, Number(url.searchParams.get('limit') ?? 10)), has_more: false });
    }

    if (req.method === 'POST' && url.pathname === '/payment_requests') {
      const problem = invalidPaymentRequest(body);
      if (problem) return send(res, 400, { error_code: 'API_VALIDATION_ERROR', message: problem });
      const key = req.headers['idempotency-key'];
      if (typeof key === 'string' && this.byIdempotencyKey.has(key)) {
        const existing = this.paymentRequests.get(this.byIdempotencyKey.get(key)!)!;
        const sent = this.bodyOfKey.get(key);
        if (existing.reference_id !== body.reference_id || (sent !== undefined && sent !== raw)) {
          return send(res, 409, { error_code: 'IDEMPOTENCY_ERROR', message: 'Idempotency key has been used before' });
        }
        return send(res, 201, existing);
      }
      const pr = this.createPaymentRequest({ reference_id: body.reference_id, amount: body.amount, idempotencyKey: key as string });
      if (typeof key === 'string') this.bodyOfKey.set(key, raw);
      pr.description = body.description ?? null;
      if (body.payment_method.type === 'EWALLET') {
        const channel = body.payment_method.ewallet.channel_code;
        pr.payment_method.type = 'EWALLET';
        delete pr.payment_method.qr_code;
        pr.payment_method.ewallet = { channel_code: channel, channel_properties: body.payment_method.ewallet.channel_properties };
        if (channel === 'OVO') {
          // OVO pushes the payment to the app of that number; there is nothing to open.
          pr.status = 'PENDING';
        } else {
          pr.status = 'REQUIRES_ACTION';
          const page = `${this.url}/checkout/${pr.id}`;
          pr.actions = [
            { action: 'AUTH', url_type: 'WEB', url: page, method: 'GET', qr_code: null },
            { action: 'AUTH', url_type: 'MOBILE', url: `${page}?mobile=1`, method: 'GET', qr_code: null },
          ];
        }
        return send(res, 201, pr);
      }
      const expiresAt = body.payment_method.qr_code.channel_properties?.expires_at;
      if (expiresAt) pr.payment_method.qr_code!.channel_properties.expires_at = new Date(expiresAt).toISOString();
      return send(res, 201, pr);
    }

    let m = /^\/payment_requests\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const pr = this.paymentRequests.get(decodeURIComponent(m[1]));
      if (!pr) return send(res, 404, { error_code: 'DATA_NOT_FOUND', message: 'Payment request not found' });
      return send(res, 200, pr);
    }

    m = /^\/v2\/payment_methods\/([^/]+)\/expire$/.exec(url.pathname);
    if (req.method === 'POST' && m) {
      const pr = [...this.paymentRequests.values()].find((p) => p.payment_method.id === decodeURIComponent(m![1]));
      if (!pr) return send(res, 404, { error_code: 'DATA_NOT_FOUND', message: 'Payment method not found' });
      if (pr.status === 'PENDING') this.expire(pr.id);
      return send(res, 200, { ...pr.payment_method, business_id: BUSINESS_ID, country: 'ID', actions: [] });
    }

    if (req.method === 'POST' && url.pathname === '/refunds') {
      const pr = this.paymentRequests.get(body?.payment_request_id);
      if (!pr) return send(res, 404, { error_code: 'DATA_NOT_FOUND', message: 'Payment request not found' });
      if (pr.status !== 'SUCCEEDED') return send(res, 409, { error_code: 'INELIGIBLE_TRANSACTION', message: 'Not refundable' });
      const key = req.headers['idempotency-key'];
      const earlier = typeof key === 'string' ? this.refunds.get(key) : undefined;
      if (earlier && (earlier.payment_request_id !== pr.id || earlier.amount !== (body.amount ?? pr.amount))) {
        return send(res, 409, { error_code: 'IDEMPOTENCY_ERROR', message: 'Idempotency key has been used before' });
      }
      const refunded = [...this.refunds.values()].filter((r) => r.payment_request_id === pr.id && r !== earlier);
      const amount = Number(body.amount ?? pr.amount);
      if (!earlier && refunded.reduce((sum, r) => sum + r.amount, 0) + amount > pr.amount) {
        return send(res, 400, { error_code: 'REFUND_AMOUNT_EXCEEDED', message: 'Refund amount exceeds the payment' });
      }
      const refund = earlier ?? { id: `rfd-${randomUUID()}`, payment_request_id: pr.id, amount, reference_id: body.reference_id ?? null };
      if (typeof key === 'string') this.refunds.set(key, refund);
      const now = new Date().toISOString();
      return send(res, 200, {
        id: refund.id,
        payment_request_id: pr.id,
        invoice_id: null,
        amount: refund.amount,
        payment_method_type: 'QR_CODE',
        channel_code: 'QRIS',
        currency: 'IDR',
        status: 'PENDING',
        reason: body.reason ?? 'REQUESTED_BY_CUSTOMER',
        reference_id: body.reference_id ?? null,
        failure_code: null,
        refund_fee_amount: null,
        created: now,
        updated: now,
        metadata: null,
      });
    }

    send(res, 404, { error_code: 'NOT_FOUND', message: `No route ${req.method} ${url.pathname}` });
  }
}

function invalidPaymentRequest(body: any): string | null {
  if (!body || typeof body !== 'object') return 'body is required';
  if (typeof body.reference_id !== 'string' || !body.reference_id || body.reference_id.length > 255) return 'reference_id is required';
  if (body.currency !== 'IDR') return 'currency must be IDR';
  if (!Number.isInteger(body.amount) || body.amount <= 0) return 'amount must be a positive integer for IDR';
  const pm = body.payment_method;
  if (pm?.type === 'EWALLET') {
    if (pm.reusability !== 'ONE_TIME_USE') return 'payment_method.reusability must be ONE_TIME_USE';
    const channel = pm.ewallet?.channel_code;
    if (!EWALLETS.includes(channel)) return 'ewallet.channel_code is not supported';
    const props = pm.ewallet.channel_properties ?? {};
    if (channel === 'OVO') {
      if (typeof props.mobile_number !== 'string' || !/^\+628\d{7,11}$/.test(props.mobile_number))
        return 'channel_properties.mobile_number must be in E.164 format';
    } else if (typeof props.success_return_url !== 'string' || !/^https?:\/\//.test(props.success_return_url)) {
      return 'channel_properties.success_return_url is required';
    }
    return null;
  }
  if (!pm || pm.type !== 'QR_CODE' || pm.reusability !== 'ONE_TIME_USE') return 'payment_method must be a one-time QR_CODE';
  if (pm.qr_code?.channel_code !== 'QRIS') return 'qr_code.channel_code must be QRIS';
  return null;
}

function invalidVirtualAccount(body: any): string | null {
  if (!body || typeof body !== 'object') return 'body is required';
  if (body.type !== 'VIRTUAL_ACCOUNT') return 'only VIRTUAL_ACCOUNT payment methods are faked';
  if (body.reusability !== 'MULTIPLE_USE') return 'a fixed virtual account is MULTIPLE_USE';
  if (typeof body.reference_id !== 'string' || !body.reference_id) return 'reference_id is required';
  const va = body.virtual_account;
  if (!va || !VA_BANKS.includes(va.channel_code)) return 'virtual_account.channel_code is not supported';
  if (typeof va.channel_properties?.customer_name !== 'string' || !va.channel_properties.customer_name)
    return 'virtual_account.channel_properties.customer_name is required';
  return null;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startFakeXendit(secretKey = 'xnd_development_klustera_fake_key'): Promise<FakeXendit> {
  return new FakeXendit(secretKey).start();
}
