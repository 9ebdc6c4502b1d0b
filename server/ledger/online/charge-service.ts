import { createHash } from 'node:crypto';
import { nowIso } from '../../db/clock.ts';
import type { ScopedStore } from '../../db/scoped-store.ts';
import { ConflictError, NotFoundError, UnprocessableError, UpstreamUnavailableError } from '../../http/errors.ts';
import { openInvoicesOfUnit } from '../ledger-store.ts';
import { GatewayFailure, type EwalletChannel, type GatewayCharge, type OnlineMethod } from './gateway.ts';
import { grossForDues } from './gateway-fee.ts';
import { configuredGateway } from './gateway-settings.ts';
import type { OfficeChargeView, OnlineChargeView } from './schemas.ts';

/** How long a QRIS charge can be paid: long enough to open an e-wallet app, short enough not to outlive a bill. */
export const CHARGE_LIFE_MS = 30 * 60_000;
/** QRIS's per-transaction ceiling in Indonesia, and a floor below which a gateway fee would eat the payment. */
export const QRIS_MIN = 1_000;
export const QRIS_MAX = 10_000_000;

export interface ChargeRow {
  id: string;
  estate_id: string;
  unit_id: string;
  resident_id: string | null;
  provider: string;
  method: OnlineMethod;
  channel: EwalletChannel | null;
  reference: string;
  invoice_ids: string;
  amount: number | string;
  status: OnlineChargeView['status'];
  gateway_id: string | null;
  qr_string: string | null;
  checkout_url: string | null;
  expires_at: string | null;
  paid_amount: number | string | null;
  gateway_payment_id: string | null;
  payment_id: string | null;
  paid_at: string | null;
  last_error: string | null;
  fee_bearer: 'estate' | 'resident' | null;
  /** A resident-borne fee, included in `amount`; 0 or null when the estate bears it. */
  fee_amount: number | string | null;
  created_at: string;
  updated_at: string;
}

export class GatewayUnavailableError extends UpstreamUnavailableError {
  constructor() {
    super('GATEWAY_UNAVAILABLE', 'Layanan pembayaran online sedang tidak dapat dihubungi. Coba lagi sebentar lagi.');
  }
}

/**
 * A reference every process computes the same way for the same request, so a retried or doubled request lands on the
 * same charge row (unique per estate) and the same gateway idempotency key. It names the estate, which is how a
 * webhook finds whose callback token to check before anything is stored.
 */
export function chargeReference(
  estateId: string,
  parts: { unitId: string; invoiceIds: string[]; amount: number; method: string; key?: string },
  generation = 1,
) {
  const digest = createHash('sha256')
    .update(JSON.stringify([parts.unitId, [...parts.invoiceIds].sort(), parts.amount, parts.method, parts.key ?? '']))
    .digest('hex')
    .slice(0, 24);
  return `kl-${estateId}-${digest}${generation > 1 ? `-${generation}` : ''}`;
}

/** The estate a reference names, or null for anything not made by chargeReference. */
export function estateOfReference(reference: unknown): string | null {
  if (typeof reference !== 'string') return null;
  const m = /^kl-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-[0-9a-f]{24}(-\d{1,6})?$/.exec(reference);
  return m ? m[1] : null;
}

export function chargeView(row: ChargeRow): OnlineChargeView {
  return {
    id: row.id,
    reference: row.reference,
    unit_id: row.unit_id,
    provider: row.provider,
    method: row.method,
    channel: row.channel ?? null,
    amount: Number(row.amount),
    fee_amount: row.fee_bearer === 'resident' ? Number(row.fee_amount ?? 0) : 0,
    invoice_ids: JSON.parse(row.invoice_ids),
    status: row.status,
    qr_string: row.status === 'pending' ? row.qr_string : null,
    checkout_url: row.status === 'pending' ? (row.checkout_url ?? null) : null,
    expires_at: row.expires_at,
    payment_id: row.payment_id,
    paid_at: row.paid_at,
    created_at: row.created_at,
  };
}

export interface CreateChargeRequest {
  unitId: string;
  residentId: string | null;
  method: Exclude<OnlineMethod, 'va'>;
  channel?: EwalletChannel;
  /** OVO's push: the payer's number as +62…; not kept, only sent to the gateway. */
  mobileNumber?: string;
  /** Where a redirect e-wallet returns the payer (the portal). */
  returnUrl?: string;
  invoiceIds?: string[];
  amount?: number;
  idempotencyKey?: string;
}

/**
 * Records the charge as an intent, then asks the gateway for it. A retry (same invoices, amount and idempotency key)
 * returns the charge already made; a charge that ended (expired, failed) is followed by a fresh one unless the
 * request named an idempotency key, which always means the first answer.
 */
export async function createOnlineCharge(store: ScopedStore, dataDir: string, req: CreateChargeRequest): Promise<OnlineChargeView> {
  const configured = await configuredGateway(store, dataDir);
  if (!configured.methods.includes(req.method)) {
    throw new ConflictError('GATEWAY_METHOD_DISABLED', 'Metode pembayaran ini tidak diaktifkan pengurus.', 'method');
  }
  const channel = req.method === 'ewallet' ? (req.channel ?? null) : null;
  if (req.method === 'ewallet' && (!channel || !configured.ewalletChannels.includes(channel))) {
    throw new ConflictError('GATEWAY_METHOD_DISABLED', 'E-wallet ini tidak diaktifkan pengurus.', 'channel');
  }
  const open = await openInvoicesOfUnit(store, req.unitId);
  let invoiceIds: string[] = [];
  let amount: number;
  if (req.invoiceIds) {
    invoiceIds = [...new Set(req.invoiceIds)].sort();
    const byId = new Map(open.map((i) => [i.id, i]));
    for (const id of invoiceIds) {
      if (!byId.has(id))
        throw new ConflictError('INVOICE_NOT_OPEN', 'Tagihan sudah lunas, dibatalkan, atau bukan milik unit ini.', 'invoice_ids');
    }
    amount = invoiceIds.reduce((s, id) => s + Number(byId.get(id)!.outstanding), 0);
  } else if (req.amount !== undefined) {
    amount = req.amount;
  } else {
    invoiceIds = open.map((i) => i.id).sort();
    amount = open.reduce((s, i) => s + Number(i.outstanding), 0);
    if (amount <= 0) throw new ConflictError('NOTHING_TO_PAY', 'Tidak ada tagihan yang perlu dibayar.');
  }
  // A resident who bears the fee is asked the dues plus the gateway's fee on the whole, so the dues arrive intact.
  const feeBearer = configured.row.fee_bearer === 'resident' ? 'resident' : 'estate';
  const dues = amount;
  const fee = feeBearer === 'resident' ? grossForDues(req.method, dues).fee : 0;
  amount = dues + fee;
  if (amount < QRIS_MIN || amount > QRIS_MAX) {
    const what = req.method === 'qris' ? 'QRIS' : 'e-wallet';
    throw new UnprocessableError('AMOUNT_OUT_OF_RANGE', `Jumlah ${what} harus antara Rp 1.000 dan Rp 10.000.000.`, 'amount');
  }

  // The e-wallet (and OVO's phone number) are part of what was asked: another wallet or number is another charge.
  const methodKey = channel ? `${req.method}:${channel}:${req.mobileNumber ?? ''}` : req.method;
  const parts = { unitId: req.unitId, invoiceIds, amount: dues, method: methodKey, key: req.idempotencyKey };
  let row = await latestCharge(store, chargeReference(store.estateId, parts));
  if (!row || (!req.idempotencyKey && isEnded(row))) {
    const generation = row ? generationOf(row.reference) + 1 : 1;
    const reference = chargeReference(store.estateId, parts, generation);
    const at = nowIso();
    await store.insertUnlessExists(
      'online_charges',
      {
        unit_id: req.unitId,
        resident_id: req.residentId,
        provider: configured.gateway.provider,
        method: req.method,
        channel,
        reference,
        invoice_ids: JSON.stringify(invoiceIds),
        amount,
        fee_bearer: feeBearer,
        fee_amount: fee,
        status: 'creating',
        deleted_at: null,
        updated_at: at,
      },
      ['estate_id', 'reference'],
      'online_charges.create',
    );
    // Two requests at once: both read the one row that won.
    row = (await store.query('online_charges').where('online_charges.reference', reference).first()) as ChargeRow;
  }
  if (row.status !== 'creating') return chargeView(row);

  let created: GatewayCharge;
  try {
    created = await configured.gateway.createCharge({
      reference: row.reference,
      amount: Number(row.amount),
      method: row.method === 'ewallet' ? 'ewallet' : 'qris',
      channel: row.channel,
      mobileNumber: req.mobileNumber ?? null,
      returnUrl: req.returnUrl ?? null,
      description: 'Iuran perumahan',
      // From the intent's own time, so a retry asks with the same body under the same idempotency key; an intent
      // retried after its life still gets a few minutes to be paid.
      expiresAt: new Date(Math.max(Date.parse(row.created_at) + CHARGE_LIFE_MS, Date.now() + 5 * 60_000)).toISOString(),
    });
  } catch (err) {
    if (!(err instanceof GatewayFailure)) throw err;
    // A refusal (4xx) is final for this reference: asking again under it gets the same answer — Midtrans, for one,
    // refuses an order_id it has seen once, even when its first answer never reached us. The intent ends as failed,
    // so the resident's next tap makes a new generation with a reference of its own instead of a charge stuck in
    // "creating". A timeout, a 5xx or a 429 leaves it creating: the same reference is tried again.
    const refused = err.status !== null && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
    await store.updateWhere(
      'online_charges',
      (q) => q.where('online_charges.id', row!.id).where('online_charges.status', 'creating'),
      {
        ...(refused ? { status: 'failed' } : {}),
        last_error: `${err.status ?? '-'} ${err.code ?? ''} ${err.message}`.slice(0, 500),
        updated_at: nowIso(),
      },
      refused ? 'online_charges.refused' : 'online_charges.gateway_error',
    );
    throw new GatewayUnavailableError();
  }
  // Only a charge still waiting for its gateway answer takes it: a webhook may already have settled it.
  await store.updateWhere(
    'online_charges',
    (q) => q.where('online_charges.id', row!.id).where('online_charges.status', 'creating'),
    {
      status: 'pending',
      gateway_id: created.id,
      qr_string: created.qrString,
      checkout_url: created.checkoutUrl,
      expires_at: created.expiresAt,
      last_error: null,
      updated_at: nowIso(),
    },
    'online_charges.created',
  );
  return chargeView((await store.get<ChargeRow>('online_charges', row.id, 'Tagihan online'))!);
}

/** The newest charge of a reference family (the first reference and its later generations). */
async function latestCharge(store: ScopedStore, firstReference: string): Promise<ChargeRow | undefined> {
  return (await store
    .query('online_charges')
    .where((q) => q.where('online_charges.reference', firstReference).orWhere('online_charges.reference', 'like', `${firstReference}-%`))
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first()) as ChargeRow | undefined;
}

function generationOf(reference: string): number {
  // kl, the estate's five uuid parts, the digest, then the generation when it is not the first.
  const parts = reference.split('-');
  return parts.length === 8 ? Number(parts[7]) : 1;
}

function isEnded(row: ChargeRow): boolean {
  if (row.status === 'expired' || row.status === 'failed') return true;
  return row.status === 'pending' && row.expires_at !== null && row.expires_at <= nowIso();
}

function refundSummary(row: ChargeRow): OfficeChargeView['refund'] {
  const refund = row as ChargeRow & {
    refund_status: 'requesting' | 'refunded' | 'failed' | null;
    refund_amount: number | string | null;
    refund_reason: string | null;
    refunded_at: string | null;
  };
  if (!refund.refund_status) return null;
  return {
    status: refund.refund_status,
    amount: Number(refund.refund_amount),
    reason: refund.refund_reason ?? '',
    refunded_at: refund.refunded_at,
  };
}

/** The office's list of charges, newest first. */
export async function listOnlineCharges(
  store: ScopedStore,
  q: { status?: OnlineChargeView['status']; unit_id?: string; limit: number; offset: number },
): Promise<{ items: OfficeChargeView[]; total: number; limit: number; offset: number }> {
  const filtered = () => {
    let query = store.live('online_charges');
    if (q.status) query = query.where('online_charges.status', q.status);
    if (q.unit_id) query = query.where('online_charges.unit_id', q.unit_id);
    return query;
  };
  const [{ n }] = (await filtered().count({ n: '*' })) as Array<{ n: number | string }>;
  const rows = (await filtered()
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(q.limit)
    .offset(q.offset)) as ChargeRow[];
  // The office reads a unit by its code; one lookup for the page rather than a join that every status filter repeats.
  const unitIds = [...new Set(rows.map((r) => r.unit_id))];
  const units = unitIds.length
    ? ((await store.live('units').whereIn('units.id', unitIds).select('units.id', 'units.code')) as Array<{ id: string; code: string }>)
    : [];
  const codes = new Map(units.map((u) => [u.id, u.code]));
  return {
    items: rows.map((r) => ({ ...chargeView(r), unit_code: codes.get(r.unit_id) ?? null, refund: refundSummary(r) })),
    total: Number(n),
    limit: q.limit,
    offset: q.offset,
  };
}

/** A charge of one of the resident's units; any other answers 404. */
export async function chargeOfUnits(store: ScopedStore, chargeId: string, unitIds: string[]): Promise<OnlineChargeView> {
  const row = await store.find<ChargeRow>('online_charges', chargeId);
  if (!row || !unitIds.includes(row.unit_id)) throw new NotFoundError('Tagihan online');
  return chargeView(row);
}
