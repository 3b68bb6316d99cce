import { Money, type GatewayType } from '@aegispay/domain';
import type { LedgerEntry } from './ledger-entry';
import { ledgerSources, type LedgerSources } from './ledger-sources';

/** Money that went through a gateway in one currency. */
export interface CurrencyTotals {
  readonly currency: string;
  /** Sum of approved charges. */
  readonly charged: Money;
  /** Sum of refunds applied. */
  readonly refunded: Money;
  /** `charged − refunded`: what the gateway still holds for the merchants. */
  readonly net: Money;
  /** Sum of the fees of approved charges. */
  readonly fees: Money;
}

/** What a gateway's ledger adds up to. */
export interface LedgerTotals {
  readonly gateway: GatewayType;
  /** Number of charges per outcome. */
  readonly approved: number;
  readonly declined: number;
  readonly pending: number;
  /** Number of refunds applied. */
  readonly refunds: number;
  /** Money per ISO 4217 code (amounts in different currencies are never added together). */
  readonly byCurrency: Readonly<Record<string, CurrencyTotals>>;
}

/** The totals of one ledger. */
export function summarizeLedger(gateway: GatewayType, entries: readonly LedgerEntry[]): LedgerTotals {
  let approved = 0;
  let declined = 0;
  let pending = 0;
  let refunds = 0;
  const sums = new Map<string, { charged: number; refunded: number; fees: number }>();
  for (const entry of entries) {
    if (entry.outcome === 'PENDING') pending += 1;
    else if (entry.outcome === 'DECLINED') declined += 1;
    else {
      approved += 1;
      refunds += entry.refunds.length;
      let sum = sums.get(entry.currency);
      if (sum === undefined) sums.set(entry.currency, (sum = { charged: 0, refunded: 0, fees: 0 }));
      sum.charged += entry.amount.amount;
      sum.refunded += entry.refundedAmount.amount;
      sum.fees += entry.fee?.amount ?? 0;
    }
  }
  const byCurrency: Record<string, CurrencyTotals> = {};
  for (const currency of [...sums.keys()].sort()) {
    const sum = sums.get(currency) as { charged: number; refunded: number; fees: number };
    byCurrency[currency] = Object.freeze({
      currency,
      charged: Money.of(sum.charged, currency),
      refunded: Money.of(sum.refunded, currency),
      net: Money.of(sum.charged - sum.refunded, currency),
      fees: Money.of(sum.fees, currency),
    });
  }
  return Object.freeze({ gateway, approved, declined, pending, refunds, byCurrency: Object.freeze(byCurrency) });
}

/** The totals of each gateway's ledger, keyed by gateway name. */
export function totalsByGateway(gateways: LedgerSources): Readonly<Record<string, LedgerTotals>> {
  const totals: Record<string, LedgerTotals> = {};
  for (const gateway of ledgerSources(gateways)) totals[gateway.name] = summarizeLedger(gateway.name, gateway.getLedger());
  return Object.freeze(totals);
}
