import type { Period } from '../calendar/calendar.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError, isUniqueViolation, ValidationError } from '../http/errors.ts';
import {
  formatInvoiceNumber,
  formatPaymentNumber,
  invoiceSequenceName,
  isSiteCode,
  paymentSequenceName,
  sequenceOfNumber,
} from './numbering.ts';

/**
 * Minting human numbers on this site: each site of an estate counts under its own code (see "Numbers" in
 * server/ledger/README.md), so two sites working offline at once never mint the same number and the estate's unique
 * indexes on invoice, payment and receipt numbers hold after their rows meet.
 */

const SITE_CODE_SQL = 'select "code" from "site_codes" where "estate_id" = :estate_id and "site_id" = ? and "deleted_at" is null limit 1';

/** This site's code in the store's estate; the empty code when none was assigned (the estate's first site). */
export async function siteCodeOf(store: ScopedStore): Promise<string> {
  const [row] = await store.estateRows<{ code: string }>(SITE_CODE_SQL, [store.sync.siteId]);
  return row?.code ?? '';
}

/** `count` consecutive invoice numbers of `period`; call inside the transaction that writes the invoices. */
export async function mintInvoiceNumbers(tx: ScopedStore, period: Period, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const site = await siteCodeOf(tx);
  const last = await tx.nextSequence(invoiceSequenceName(period, site), count);
  const numbers = new Array<string>(count);
  for (let i = 0; i < count; i++) numbers[i] = formatInvoiceNumber(period, last - count + 1 + i, site);
  return numbers;
}

/**
 * The next payment number of the estate-local day `localDate`; call inside the transaction that writes the payment.
 * `site`: this site's code (`siteCodeOf`) when the caller read it already, before the counter's row lock.
 */
export async function mintPaymentNumber(tx: ScopedStore, localDate: string, site?: string): Promise<string> {
  site ??= await siteCodeOf(tx);
  return formatPaymentNumber(localDate, await tx.nextSequence(paymentSequenceName(localDate, site)), site);
}

/**
 * Gives `siteId` its code in the store's estate (at pairing). A code is never reused: not by another site, and not
 * by a site that gave it up, because numbers minted under it may be on paper. Assigning a site the code it already
 * has changes nothing.
 */
export async function assignSiteCode(store: ScopedStore, siteId: string, code: string): Promise<{ site_id: string; code: string }> {
  if (typeof siteId !== 'string' || !siteId || siteId.length > 64)
    throw new ValidationError('Situs tidak dikenal.', 'site_id', 'SITE_ID_INVALID');
  if (!isSiteCode(code)) {
    throw new ValidationError('Kode situs: satu atau dua huruf kapital tanpa I dan O, atau kosong.', 'code', 'SITE_CODE_INVALID');
  }
  try {
    return await store.transaction(async (tx) => {
      const taken = await tx.query('site_codes').where('site_codes.code', code).first('site_id', 'deleted_at');
      if (taken && taken.site_id === siteId && taken.deleted_at === null) return { site_id: siteId, code };
      if (taken) throw new ConflictError('SITE_CODE_TAKEN', 'Kode situs ini sudah pernah dipakai di perumahan ini.', 'code');
      const current = await tx.live('site_codes').where('site_codes.site_id', siteId).first('id');
      if (current) await tx.softDelete('site_codes', current.id as string, 'site_codes.retire');
      await tx.insert('site_codes', { site_id: siteId, code }, 'site_codes.assign');
      return { site_id: siteId, code };
    });
  } catch (err) {
    // Two assignments racing for one code or one site: the database's unique indexes pick the winner.
    if (isUniqueViolation(err)) throw new ConflictError('SITE_CODE_TAKEN', 'Kode situs ini sudah pernah dipakai di perumahan ini.', 'code');
    throw err;
  }
}

// Raises a counter to at least the given value and never lowers it, in one statement on both databases.
const RAISE_SEQUENCE_SQL =
  'insert into "sequences" ("estate_id", "name", "value") values (:estate_id, ?, ?) ' +
  'on conflict ("estate_id", "name") do update set "value" = case when "sequences"."value" < excluded."value" ' +
  'then excluded."value" else "sequences"."value" end';

/**
 * Moves this site's counters past `numbers`, numbers of this estate known elsewhere (the hosted instance's copy of
 * what this site minted). A site restored from an old backup has forgotten the numbers it minted after the backup;
 * it calls this with the numbers the hosted instance holds before it mints again, so it never mints one twice.
 * Numbers of other sites' codes are ignored: this site never mints under them. Returns how many counters moved.
 */
export async function resumeNumberingPast(store: ScopedStore, numbers: Iterable<string>): Promise<number> {
  return store.transaction(async (tx) => {
    const site = await siteCodeOf(tx);
    const highest = new Map<string, number>();
    for (const number of numbers) {
      const seq = typeof number === 'string' ? sequenceOfNumber(number) : null;
      if (!seq || seq.site !== site) continue;
      highest.set(seq.name, Math.max(highest.get(seq.name) ?? 0, seq.seq));
    }
    let moved = 0;
    for (const [name, value] of highest) {
      const [before] = await tx.estateRows<{ value: number | string }>(
        'select "value" from "sequences" where "estate_id" = :estate_id and "name" = ?',
        [name],
      );
      if (before && Number(before.value) >= value) continue;
      await tx.estateRows(RAISE_SEQUENCE_SQL, [name, value]);
      moved++;
    }
    return moved;
  });
}
