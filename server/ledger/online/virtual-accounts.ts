import { createHash } from 'node:crypto';
import { nowIso } from '../../db/clock.ts';
import type { ScopedStore } from '../../db/scoped-store.ts';
import { ConflictError } from '../../http/errors.ts';
import { deterministicId } from '../deterministic-id.ts';
import { creditOfUnit, outstandingOfUnit } from '../ledger-store.ts';
import { GatewayUnavailableError } from './charge-service.ts';
import { GatewayFailure, type VaBank } from './gateway.ts';
import { vaFeeFor } from './gateway-fee.ts';
import { configuredGateway, gatewayRow, storedVaFees, type GatewayRow } from './gateway-settings.ts';
import type { VirtualAccountView } from './schemas.ts';

export interface VirtualAccountRow {
  id: string;
  estate_id: string;
  unit_id: string;
  provider: string;
  bank: VaBank;
  reference: string;
  status: 'creating' | 'active';
  gateway_id: string | null;
  account_number: string | null;
  account_name: string | null;
  claimed_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** How long one request may hold the making of an account before another may take it over (a crashed process). */
const CLAIM_MS = 30_000;
/** How long a request that finds the account being made by another waits for its number. */
const WAIT_MS = 12_000;

/**
 * The account's reference follows from its estate, unit, provider and bank alone: every process and every site of the
 * estate asks the gateway about the same reference, and it has the shape of a charge reference, so a callback for a
 * transfer into it names the estate whose token to check.
 */
export function virtualAccountReference(estateId: string, unitId: string, provider: string, bank: VaBank): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(['va', unitId, provider, bank]))
    .digest('hex')
    .slice(0, 24);
  return `kl-${estateId}-${digest}`;
}

/**
 * What a resident adds to a transfer into the account at `bank` so the dues arrive whole: the bank's fee when the
 * estate has residents bear the gateway's fee, else nothing (the estate books it as an expense).
 */
export function residentVaFee(gateway: GatewayRow | undefined, bank: string): number {
  return gateway?.fee_bearer === 'resident' ? vaFeeFor(storedVaFees(gateway), bank) : 0;
}

export function virtualAccountView(row: VirtualAccountRow, gateway: GatewayRow | undefined): VirtualAccountView {
  return {
    id: row.id,
    unit_id: row.unit_id,
    bank: row.bank,
    status: row.status,
    account_number: row.status === 'active' ? row.account_number : null,
    account_name: row.account_name,
    fee_amount: residentVaFee(gateway, row.bank),
    created_at: row.created_at,
  };
}

/** The unit's accounts and what it owes now (open invoices less its credit). */
export async function unitVirtualAccounts(store: ScopedStore, unitId: string) {
  await store.get('units', unitId, 'Unit');
  const rows = (await store
    .live('unit_virtual_accounts')
    .where('unit_virtual_accounts.unit_id', unitId)
    .orderBy('unit_virtual_accounts.bank')) as VirtualAccountRow[];
  const due = Math.max(0, (await outstandingOfUnit(store, unitId)) - (await creditOfUnit(store, unitId)));
  // Fixed accounts exist at Xendit only; its row says who bears the fee even while Midtrans takes the charges.
  const gateway = await gatewayRow(store, 'xendit');
  return {
    unit_id: unitId,
    amount_due: due,
    fee_bearer: gateway?.fee_bearer === 'resident' ? ('resident' as const) : ('estate' as const),
    items: rows.map((row) => virtualAccountView(row, gateway)),
  };
}

/**
 * The unit's account at `bank`, made on first use and kept for good. The row is written first (one per unit and bank,
 * whoever asks), then one request at a time may ask the gateway for it; the others wait for its number. A request
 * that dies half-way leaves the row claimed for a while, after which the next request asks again, and the gateway
 * lookup by reference answers the account already made.
 */
export async function ensureUnitVirtualAccount(
  store: ScopedStore,
  dataDir: string,
  unitId: string,
  bank: VaBank,
): Promise<VirtualAccountView> {
  const configured = await configuredGateway(store, dataDir);
  const gateway = configured.gateway;
  if (!gateway.ensureVirtualAccount || !configured.methods.includes('va') || !configured.vaBanks.includes(bank)) {
    throw new ConflictError('GATEWAY_METHOD_DISABLED', 'Virtual account bank ini tidak diaktifkan pengurus.', 'bank');
  }
  const unit = await store.get<{ id: string; code: string }>('units', unitId, 'Unit');
  const provider = gateway.provider;
  const reference = virtualAccountReference(store.estateId, unitId, provider, bank);
  await store.insertUnlessExists(
    'unit_virtual_accounts',
    {
      id: deterministicId('unit_virtual_account', store.estateId, unitId, provider, bank),
      unit_id: unitId,
      provider,
      bank,
      reference,
      status: 'creating',
      account_name: `Unit ${unit.code}`.slice(0, 50),
      updated_at: nowIso(),
      deleted_at: null,
    },
    ['estate_id', 'reference'],
    'unit_virtual_accounts.create',
  );
  const read = async () =>
    (await store.query('unit_virtual_accounts').where('unit_virtual_accounts.reference', reference).first()) as VirtualAccountRow;
  let row = await read();
  if (row.status === 'active') return virtualAccountView(row, configured.row);

  const at = nowIso();
  const stale = new Date(Date.now() - CLAIM_MS).toISOString();
  const claimed = await store.updateWhere(
    'unit_virtual_accounts',
    (q) =>
      q
        .where('unit_virtual_accounts.id', row.id)
        .where('unit_virtual_accounts.status', 'creating')
        .where((w) => w.whereNull('unit_virtual_accounts.claimed_at').orWhere('unit_virtual_accounts.claimed_at', '<', stale)),
    { claimed_at: at, updated_at: at },
    'unit_virtual_accounts.claim',
  );
  if (!claimed.length) {
    // Another request is asking the gateway right now: its answer is this request's answer.
    const until = Date.now() + WAIT_MS;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      row = await read();
      if (row.status === 'active' || !row.claimed_at) break;
    }
    return virtualAccountView(row, configured.row);
  }

  try {
    const account = await gateway.ensureVirtualAccount({ reference, bank, name: row.account_name ?? `Unit ${unit.code}` });
    await store.updateWhere(
      'unit_virtual_accounts',
      (q) => q.where('unit_virtual_accounts.id', row.id).where('unit_virtual_accounts.status', 'creating'),
      {
        status: 'active',
        gateway_id: account.id,
        account_number: account.accountNumber,
        account_name: account.accountName ?? row.account_name,
        claimed_at: null,
        last_error: null,
        updated_at: nowIso(),
      },
      'unit_virtual_accounts.created',
    );
  } catch (err) {
    if (!(err instanceof GatewayFailure)) throw err;
    await store.updateWhere(
      'unit_virtual_accounts',
      (q) => q.where('unit_virtual_accounts.id', row.id).where('unit_virtual_accounts.status', 'creating'),
      { claimed_at: null, last_error: `${err.status ?? '-'} ${err.code ?? ''} ${err.message}`.slice(0, 500), updated_at: nowIso() },
      'unit_virtual_accounts.gateway_error',
    );
    throw new GatewayUnavailableError();
  }
  return virtualAccountView(await read(), configured.row);
}
