import type { LedgerEntry } from './ledger-entry';
import { ledgerSources, type LedgerSources } from './ledger-sources';

/** Options of {@link findDoubleCharges}. */
export interface FindDoubleChargesOptions {
  /**
   * Count charges still `PENDING` as charges too: they may yet be approved. Use it to check a run
   * that was cut short (a crash) before its outcomes were resolved. Defaults to false.
   */
  readonly includePending?: boolean;
}

/** A payment with more than one live charge. */
export interface DoubleCharge {
  readonly paymentId: string;
  readonly merchantId: string;
  /** The live charges of the payment, across gateways, in the order the gateways were given. */
  readonly charges: readonly LedgerEntry[];
}

/**
 * The "no customer charged twice" check: every payment that holds more than one approved charge
 * not fully refunded, across all the ledgers given. A payment charged twice and then refunded in
 * full on one side is not a double charge (the customer paid once); a declined or failed attempt
 * never is.
 *
 * @returns the double charges, by payment id; empty when every payment was charged at most once.
 */
export function findDoubleCharges(gateways: LedgerSources, options: FindDoubleChargesOptions = {}): readonly DoubleCharge[] {
  const includePending = options.includePending === true;
  const live = new Map<string, LedgerEntry[]>();
  for (const gateway of ledgerSources(gateways)) {
    for (const entry of gateway.getLedger()) {
      const counts =
        (entry.outcome === 'APPROVED' && entry.refundedAmount.amount < entry.amount.amount) ||
        (includePending && entry.outcome === 'PENDING');
      if (!counts) continue;
      const charges = live.get(entry.paymentId);
      if (charges === undefined) live.set(entry.paymentId, [entry]);
      else charges.push(entry);
    }
  }
  const doubles: DoubleCharge[] = [];
  for (const [paymentId, charges] of live) {
    if (charges.length < 2) continue;
    doubles.push(Object.freeze({ paymentId, merchantId: (charges[0] as LedgerEntry).merchantId, charges: Object.freeze(charges) }));
  }
  return doubles.sort((a, b) => (a.paymentId < b.paymentId ? -1 : a.paymentId > b.paymentId ? 1 : 0));
}
