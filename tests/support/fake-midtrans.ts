// A stand-in for Midtrans on 127.0.0.1: Snap (`POST /snap/v1/transactions`, and the payment page it redirects to) and
// the Core API (`GET /v2/{order_id}/status`, `POST /v2/{order_id}/expire|cancel|refund`) in the documented JSON shapes.
// Strict where Midtrans is: Basic auth with the server key as user and an empty password, JSON bodies, order_id of at
// most 50 characters from the allowed set, item_details summing to gross_amount, an order_id used once. It also sends
// the documented HTTP notification, signed SHA512(order_id + status_code + gross_amount + server key).
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMidtransTransaction {
  transaction_id: string;
  transaction_status: 'pending' | 'capture' | 'settlement' | 'deny' | 'cancel' | 'expire' | 'refund';
  fraud_status: 'accept' | 'challenge' | 'deny';
  payment_type: string;
  gross_amount: string;
  transaction_time: string;
  settlement_time?: string;
}

export interface FakeMidtransOrder {
  order_id: string;
  gross_amount: number;
  token: string;
  enabled_payments: string[];
  expiry: { start_time: string; unit: string; duration: number };
  /** Null until the payer picks a method on the Snap page: Midtrans knows no transaction before that. */
  transaction: FakeMidtransTransaction | null;
}

export interface FakeRequestLog {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

const MERCHANT_ID = 'G141532850';
const ORDER_ID = /^[A-Za-z0-9\-_~.]{1,50}$/;
const STATUS_CODE: Record<FakeMidtransTransaction['transaction_status'], string> = {
  pending: '201',
  capture: '200',
  settlement: '200',
  deny: '202',
  cancel: '200',
  expire: '407',
  refund: '200',
};

/** Midtrans's own clock: Jakarta time without an offset. */
function jakartaTime(at = new Date()): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export class FakeMidtrans {
  readonly requests: FakeRequestLog[] = [];
  readonly orders = new Map<string, FakeMidtransOrder>();
  private server!: http.Server;
  url = '';
  down = false;
  /** The next Snap order is made, and then its answer is lost on the way (the connection drops). */
  loseNextSnapAnswer = false;

  constructor(readonly serverKey: string) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        try {
          this.handle(req, raw, res);
        } catch (err) {
          send(res, 500, { status_code: '500', status_message: String(err) });
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

  order(orderId: string): FakeMidtransOrder {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId} at the fake Midtrans`);
    return order;
  }

  /** The payer picks a method on the Snap page: a pending transaction exists from now on. */
  choose(orderId: string, paymentType = 'qris'): FakeMidtransTransaction {
    const order = this.order(orderId);
    order.transaction ??= {
      transaction_id: randomUUID(),
      transaction_status: 'pending',
      fraud_status: 'accept',
      payment_type: paymentType,
      gross_amount: `${order.gross_amount}.00`,
      transaction_time: jakartaTime(),
    };
    return order.transaction;
  }

  /** The money arrives (with another amount when `amount` is given). */
  settle(orderId: string, opts: { amount?: number } = {}): FakeMidtransTransaction {
    const t = this.choose(orderId);
    t.transaction_status = 'settlement';
    if (opts.amount !== undefined) t.gross_amount = `${opts.amount}.00`;
    t.settlement_time = jakartaTime();
    return t;
  }

  /** A card payment captured, with the fraud check's verdict. */
  capture(orderId: string, fraud: FakeMidtransTransaction['fraud_status']): FakeMidtransTransaction {
    const t = this.choose(orderId, 'credit_card');
    t.transaction_status = 'capture';
    t.fraud_status = fraud;
    return t;
  }

  expire(orderId: string): FakeMidtransTransaction {
    const t = this.choose(orderId);
    t.transaction_status = 'expire';
    return t;
  }

  signature(orderId: string, statusCode: string, grossAmount: string, serverKey = this.serverKey): string {
    return createHash('sha512')
      .update(orderId + statusCode + grossAmount + serverKey)
      .digest('hex');
  }

  /** The documented HTTP notification for the order's transaction as it stands now (or as `override` claims). */
  notificationBody(orderId: string, override: Partial<FakeMidtransTransaction> = {}) {
    const t = { ...this.choose(orderId), ...override };
    const statusCode = STATUS_CODE[t.transaction_status];
    return {
      transaction_time: t.transaction_time,
      transaction_status: t.transaction_status,
      transaction_id: t.transaction_id,
      status_message: 'midtrans payment notification',
      status_code: statusCode,
      signature_key: this.signature(orderId, statusCode, t.gross_amount),
      ...(t.settlement_time ? { settlement_time: t.settlement_time } : {}),
      payment_type: t.payment_type,
      order_id: orderId,
      merchant_id: MERCHANT_ID,
      gross_amount: t.gross_amount,
      fraud_status: t.fraud_status,
      currency: 'IDR',
    };
  }

  /** Posts a notification to our server the way Midtrans does. */
  async notify(target: string, body: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'Veritrans' },
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
    let m = /^\/snap\/v4\/redirection\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      // The payment page itself is public: the payer opens it with the token alone.
      const order = [...this.orders.values()].find((o) => o.token === m![1]);
      res.writeHead(order ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        order
          ? `<!doctype html><html lang="id"><head><title>Midtrans (uji)</title></head><body><h1>Bayar Rp ${order.gross_amount}</h1><p data-order="${order.order_id}">${order.enabled_payments.join(', ')}</p></body></html>`
          : '<!doctype html><p>Not found</p>',
      );
      return;
    }

    let body: any = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { error_messages: ['Body is not JSON'] });
      }
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
    if (this.down) return send(res, 503, { status_code: '503', status_message: 'Service unavailable' });
    if (req.headers.authorization !== `Basic ${Buffer.from(`${this.serverKey}:`).toString('base64')}`) {
      return send(res, 401, {
        status_code: '401',
        status_message: 'Unknown Merchant server_key/id',
        error_messages: ['Access denied due to unauthorized transaction, please check client or server key'],
      });
    }
    if (raw && !String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(res, 400, { error_messages: ['Content-Type must be application/json'] });
    }

    if (req.method === 'POST' && url.pathname === '/snap/v1/transactions') {
      const problem = invalidSnapRequest(body);
      if (problem) return send(res, 400, { error_messages: [problem] });
      const orderId = body.transaction_details.order_id as string;
      if (this.orders.has(orderId)) return send(res, 400, { error_messages: ['transaction_details.order_id sudah digunakan'] });
      const token = randomUUID();
      this.orders.set(orderId, {
        order_id: orderId,
        gross_amount: body.transaction_details.gross_amount,
        token,
        enabled_payments: body.enabled_payments ?? [],
        expiry: body.expiry,
        transaction: null,
      });
      if (this.loseNextSnapAnswer) {
        this.loseNextSnapAnswer = false;
        req.socket.destroy();
        return;
      }
      return send(res, 201, { token, redirect_url: `${this.url}/snap/v4/redirection/${token}` });
    }

    m = /^\/v2\/([^/]+)\/(status|expire|cancel|refund)$/.exec(url.pathname);
    if (m) {
      const orderId = decodeURIComponent(m[1]);
      const action = m[2];
      if ((action === 'status') !== (req.method === 'GET'))
        return send(res, 405, { status_code: '405', status_message: 'Method not allowed' });
      const order = this.orders.get(orderId);
      // An order Snap made but nobody started paying: Midtrans answers 200 with its own 404 inside.
      if (order && !order.transaction) return send(res, 200, { status_code: '404', status_message: "Transaction doesn't exist." });
      if (!order) return send(res, 404, { status_code: '404', status_message: "Transaction doesn't exist." });
      const t = order.transaction!;
      if (action === 'expire') {
        if (t.transaction_status !== 'pending')
          return send(res, 412, { status_code: '412', status_message: 'Transaction status cannot be updated.' });
        t.transaction_status = 'expire';
      }
      if (action === 'cancel') {
        if (!['pending', 'capture'].includes(t.transaction_status))
          return send(res, 412, { status_code: '412', status_message: 'Transaction status cannot be updated.' });
        t.transaction_status = 'cancel';
      }
      if (action === 'refund') {
        if (t.transaction_status !== 'settlement')
          return send(res, 412, { status_code: '412', status_message: 'Transaction status cannot be updated.' });
        if (!body || !Number.isInteger(body.amount) || typeof body.refund_key !== 'string')
          return send(res, 400, { error_messages: ['refund_key and amount are required'] });
        t.transaction_status = 'refund';
        return send(res, 200, {
          status_code: '200',
          status_message: 'Success, refund request is approved',
          transaction_id: t.transaction_id,
          order_id: orderId,
          gross_amount: t.gross_amount,
          currency: 'IDR',
          payment_type: t.payment_type,
          transaction_time: t.transaction_time,
          transaction_status: 'refund',
          refund_chargeback_id: Math.floor(Math.random() * 1e6),
          refund_amount: `${body.amount}.00`,
          refund_key: body.refund_key,
        });
      }
      return send(res, 200, {
        status_code: STATUS_CODE[t.transaction_status],
        status_message: action === 'status' ? 'Success, transaction is found' : `Success, transaction is ${action}d`,
        transaction_id: t.transaction_id,
        order_id: orderId,
        merchant_id: MERCHANT_ID,
        gross_amount: t.gross_amount,
        currency: 'IDR',
        payment_type: t.payment_type,
        transaction_time: t.transaction_time,
        transaction_status: t.transaction_status,
        fraud_status: t.fraud_status,
        ...(t.settlement_time ? { settlement_time: t.settlement_time } : {}),
        signature_key: this.signature(orderId, STATUS_CODE[t.transaction_status], t.gross_amount),
      });
    }

    send(res, 404, { status_code: '404', status_message: `No route ${req.method} ${url.pathname}` });
  }
}

function invalidSnapRequest(body: any): string | null {
  if (!body || typeof body !== 'object') return 'body is required';
  const td = body.transaction_details;
  if (!td || typeof td.order_id !== 'string' || !ORDER_ID.test(td.order_id)) return 'transaction_details.order_id is invalid';
  if (!Number.isInteger(td.gross_amount) || td.gross_amount < 1) return 'transaction_details.gross_amount must be a positive integer';
  if (body.item_details !== undefined) {
    if (!Array.isArray(body.item_details)) return 'item_details must be an array';
    const sum = body.item_details.reduce((s: number, i: any) => s + Number(i.price) * Number(i.quantity), 0);
    if (sum !== td.gross_amount) return 'transaction_details.gross_amount is not equal to the sum of item_details';
    if (body.item_details.some((i: any) => typeof i.name !== 'string' || i.name.length > 50)) return 'item_details.name is invalid';
  }
  if (
    body.enabled_payments !== undefined &&
    (!Array.isArray(body.enabled_payments) || body.enabled_payments.some((p: unknown) => typeof p !== 'string'))
  )
    return 'enabled_payments must be an array of strings';
  const ex = body.expiry;
  if (ex !== undefined) {
    if (typeof ex.start_time !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$/.test(ex.start_time))
      return 'expiry.start_time must be yyyy-MM-dd hh:mm:ss Z';
    if (!['second', 'seconds', 'minute', 'minutes', 'hour', 'hours', 'day', 'days'].includes(ex.unit)) return 'expiry.unit is invalid';
    if (!Number.isInteger(ex.duration) || ex.duration < 1) return 'expiry.duration must be a positive integer';
  }
  return null;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startFakeMidtrans(serverKey = 'SB-Mid-server-klustera-fake-key'): Promise<FakeMidtrans> {
  return new FakeMidtrans(serverKey).start();
}
