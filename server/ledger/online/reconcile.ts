import { z } from 'zod';
import { nowIso } from '../../db/clock.ts';
import { platformKnex } from '../../db/platform-store.ts';
import type { ScopedStore } from '../../db/scoped-store.ts';
import type { AppContext } from '../../http/app-context.ts';
import { defineJob, defineSchedule } from '../../jobs/define-job.ts';
import { enqueueJob } from '../../jobs/job-queue.ts';
import { openInvoicesOfUnit } from '../ledger-store.ts';
import type { ChargeRow } from './charge-service.ts';
import { GatewayFailure, type PaymentGateway } from './gateway.ts';
import { configuredGateway } from './gateway-settings.ts';
import { settleCharge } from './settle.ts';
import { settleVaTransfer } from './settle-virtual-account.ts';
import type { VirtualAccountRow } from './virtual-accounts.ts';

/**
 * Webhooks can be lost (Xendit does not retry forever, a desktop has no public address): every few minutes each
 * estate's open charges are asked of the gateway directly. A paid one is settled as a webhook would have; one whose
 * invoices were all paid some other way is expired at the gateway so nobody pays it again (a payment that still
 * slips through is recorded as credit, with a notice).
 */
export const RECONCILE_EVERY_MS = 5 * 60_000;
/** Charges older than this are no longer asked about: their QR expired long ago. */
const RECONCILE_WINDOW_MS = 3 * 24 * 3600_000;

export type ReconcileResult = { checked: number; settled: number; expired: number; failed: number };

/**
 * Transfers into units' virtual accounts are asked about once an hour (every twelfth slot), over the last two days:
 * a callback that never came still becomes the unit's payment, once (settleVaTransfer records each transfer id once).
 * An hour, not five minutes: an estate has an account per unit and bank, and each is one call to the gateway.
 */
export const VA_SWEEP_EVERY_SLOTS = 12;
const VA_WINDOW_MS = 2 * 24 * 3600_000;

export type VaSweepResult = { accounts: number; recorded: number; failed: number };

export async function reconcileVirtualAccounts(store: ScopedStore, dataDir: string, now = new Date()): Promise<VaSweepResult> {
  const accounts = (await store
    .live('unit_virtual_accounts')
    .whereNotNull('unit_virtual_accounts.gateway_id')
    .where('unit_virtual_accounts.provider', 'xendit')
    .orderBy('unit_virtual_accounts.id')) as VirtualAccountRow[];
  const result: VaSweepResult = { accounts: 0, recorded: 0, failed: 0 };
  if (!accounts.length) return result;
  const { gateway } = await configuredGateway(store, dataDir, { requireEnabled: false, provider: 'xendit' });
  if (!gateway.listVaPayments) return result;
  const since = new Date(now.getTime() - VA_WINDOW_MS);
  for (const account of accounts) {
    result.accounts++;
    try {
      for (const remote of await gateway.listVaPayments(account.gateway_id!, since)) {
        if (remote.status !== 'paid' || remote.accountId !== account.gateway_id) continue;
        if ((await settleVaTransfer(store, account, remote)) === 'recorded') result.recorded++;
      }
    } catch (err) {
      if (!(err instanceof GatewayFailure)) throw err;
      result.failed++;
    }
  }
  return result;
}

export async function reconcileOnlineCharges(store: ScopedStore, dataDir: string, now = new Date()): Promise<ReconcileResult> {
  const since = new Date(now.getTime() - RECONCILE_WINDOW_MS).toISOString();
  const open = (await store
    .live('online_charges')
    .where('online_charges.status', 'pending')
    .whereNotNull('online_charges.gateway_id')
    .where('online_charges.created_at', '>=', since)
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .limit(500)) as ChargeRow[];
  const result: ReconcileResult = { checked: 0, settled: 0, expired: 0, failed: 0 };
  if (!open.length) return result;
  // Charges made before the estate switched gateway are still asked of the one that made them.
  const gateways = new Map<string, Promise<PaymentGateway>>();
  const gatewayOf = (provider: string) => {
    if (!gateways.has(provider)) {
      gateways.set(
        provider,
        configuredGateway(store, dataDir, { requireEnabled: false, provider }).then((c) => c.gateway),
      );
    }
    return gateways.get(provider)!;
  };
  for (const charge of open) {
    result.checked++;
    try {
      const gateway = await gatewayOf(charge.provider);
      const remote = await gateway.getCharge(charge.gateway_id!);
      if (remote.reference !== charge.reference) continue;
      if (remote.status === 'paid') {
        if ((await settleCharge(store, charge.id, remote)) === 'recorded') result.settled++;
        continue;
      }
      if (remote.status === 'expired' || remote.status === 'failed') {
        await markEnded(store, charge, remote.status);
        result.expired++;
        continue;
      }
      const chosen: string[] = JSON.parse(charge.invoice_ids);
      if (!chosen.length) continue;
      const stillOpen = new Set((await openInvoicesOfUnit(store, charge.unit_id)).map((i) => i.id));
      if (chosen.some((id) => stillOpen.has(id))) continue;
      // Every invoice it was for is paid: the QR must not take the money a second time.
      await gateway.expireCharge(charge.gateway_id!);
      await markEnded(store, charge, 'expired');
      result.expired++;
    } catch (err) {
      // One charge the gateway cannot answer for must not stop the others; the next round asks again.
      if (!(err instanceof GatewayFailure)) throw err;
      result.failed++;
    }
  }
  return result;
}

async function markEnded(store: ScopedStore, charge: ChargeRow, status: 'expired' | 'failed'): Promise<void> {
  await store.updateWhere(
    'online_charges',
    (q) => q.where('online_charges.id', charge.id).whereIn('online_charges.status', ['creating', 'pending']),
    { status, updated_at: nowIso() },
    `online_charges.${status}`,
  );
}

export const reconcileOnlineChargesJob = defineJob({
  name: 'ledger.reconcile-online-charges',
  schema: z.object({ slot: z.number().int() }),
  // Talks to the gateway; each settlement is its own transaction and idempotent per charge.
  transactional: false,
  maxAttempts: 3,
  leaseMs: 5 * 60_000,
  run: async (ctx, payload) => {
    await reconcileOnlineCharges(ctx.store(), ctx.app.dataDir, ctx.now);
    if (payload.slot % VA_SWEEP_EVERY_SLOTS === 0) await reconcileVirtualAccounts(ctx.store(), ctx.app.dataDir, ctx.now);
  },
});

/**
 * Plans one reconciliation per estate that has open charges, keyed on the five-minute slot; on the hourly slot also
 * for every estate with virtual accounts.
 */
export async function planReconciliation(app: AppContext, now: Date): Promise<number> {
  const knex = platformKnex(app.db.knex);
  const since = new Date(now.getTime() - RECONCILE_WINDOW_MS).toISOString();
  const slot = Math.floor(now.getTime() / RECONCILE_EVERY_MS);
  const withCharges = (await knex('online_charges')
    .where({ status: 'pending' })
    .whereNull('deleted_at')
    .where('created_at', '>=', since)
    .distinct('estate_id')) as Array<{ estate_id: string }>;
  const withAccounts =
    slot % VA_SWEEP_EVERY_SLOTS === 0
      ? ((await knex('unit_virtual_accounts').whereNull('deleted_at').whereNotNull('gateway_id').distinct('estate_id')) as Array<{
          estate_id: string;
        }>)
      : [];
  const estates = [...new Map([...withCharges, ...withAccounts].map((e) => [e.estate_id, e])).values()];
  for (const { estate_id } of estates) {
    await enqueueJob(knex, reconcileOnlineChargesJob, { slot }, { estateId: estate_id, key: `${estate_id}:${slot}` });
  }
  return estates.length;
}

export const reconcileOnlineChargesSchedule = defineSchedule({
  name: 'online-charges-reconcile',
  everyMs: RECONCILE_EVERY_MS,
  plan: async (app, now) => {
    await planReconciliation(app, now);
  },
});
