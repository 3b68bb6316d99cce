import {
  Money,
  type ChargeApproved,
  type ChargeDeclined,
  type ChargeRequest,
  type ChargeResult,
  type GatewayType,
  type RefundRequest,
  type RefundResult,
} from '@aegispay/domain';
import type { LedgerEntry, LedgerOutcome, LedgerRefund } from './ledger-entry';

/** A charge as the ledger holds it (internal, mutable). */
export interface ChargeRecord {
  readonly request: ChargeRequest;
  readonly receivedAt: number;
  outcome: LedgerOutcome;
  /** The first (and only) answer to this reference, once decided. */
  result: ChargeApproved | ChargeDeclined | null;
  /** Resolves with `result` when the decision is made; set while `PENDING`. */
  decision: Promise<ChargeResult> | null;
  decidedAt: number | null;
  readonly refunds: LedgerRefund[];
  refunded: number;
  requestCount: number;
  snapshot: LedgerEntry | null;
}

/** The stored answer to a refund reference. */
type StoredRefundResult = Extract<RefundResult, { outcome: 'REFUNDED' | 'REJECTED' }>;

/** A refund as the ledger holds it (internal). */
export interface RefundRecord {
  readonly request: RefundRequest;
  readonly result: StoredRefundResult;
}

/**
 * The book of one gateway (internal): charges keyed by idempotency reference and by the gateway's
 * own reference, refunds keyed by their reference. It enforces the money invariants itself, so no
 * caller can get them wrong: one decision per reference, and refunds never above what was captured.
 */
export class ChargeLedger {
  private readonly charges = new Map<string, ChargeRecord>();
  private readonly byGatewayReference = new Map<string, ChargeRecord>();
  private readonly refunds = new Map<string, RefundRecord>();

  constructor(private readonly gateway: GatewayType) {}

  find(reference: string): ChargeRecord | undefined {
    return this.charges.get(reference);
  }

  /** Records the arrival of a new reference, `PENDING`. */
  open(request: ChargeRequest, now: number): ChargeRecord {
    const record: ChargeRecord = {
      request,
      receivedAt: now,
      outcome: 'PENDING',
      result: null,
      decision: null,
      decidedAt: null,
      refunds: [],
      refunded: 0,
      requestCount: 1,
      snapshot: null,
    };
    this.charges.set(request.reference, record);
    return record;
  }

  /** Writes the decision of a `PENDING` charge. A decided charge never changes its outcome. */
  decide(record: ChargeRecord, result: ChargeApproved | ChargeDeclined, now: number): void {
    if (record.outcome !== 'PENDING') return;
    record.outcome = result.outcome;
    record.result = result;
    record.decidedAt = now;
    record.decision = null;
    record.snapshot = null;
    if (result.outcome === 'APPROVED') this.byGatewayReference.set(result.gatewayReference, record);
  }

  /** Counts one more request carrying an existing reference. */
  replayed(record: ChargeRecord): void {
    record.requestCount += 1;
    record.snapshot = null;
  }

  findRefund(reference: string): RefundRecord | undefined {
    return this.refunds.get(reference);
  }

  /**
   * Applies a refund, or rejects it with a code: the charge must exist, be approved, be for the
   * same payment and currency, and have at least `amount` left after earlier refunds. The answer
   * is stored under the refund's reference either way (a replay gets the same answer).
   */
  refund(request: RefundRequest, gatewayReference: () => string, now: number): StoredRefundResult {
    const result = this.decideRefund(request, gatewayReference, now);
    this.refunds.set(request.reference, { request, result });
    return result;
  }

  /** Snapshots of every charge, in arrival order. */
  entries(): readonly LedgerEntry[] {
    const entries: LedgerEntry[] = [];
    for (const record of this.charges.values()) entries.push(this.snapshotOf(record));
    return entries;
  }

  /** The snapshot of one charge, `undefined` when the reference never arrived. */
  entry(reference: string): LedgerEntry | undefined {
    const record = this.charges.get(reference);
    return record === undefined ? undefined : this.snapshotOf(record);
  }

  private decideRefund(request: RefundRequest, gatewayReference: () => string, now: number): StoredRefundResult {
    const charge = this.byGatewayReference.get(request.chargeReference);
    if (charge === undefined) {
      return rejected(
        'charge_not_found',
        this.charges.has(request.chargeReference)
          ? `"${request.chargeReference}" is a charge's idempotency reference; refunds name the gatewayReference of an approved charge.`
          : `No approved charge "${request.chargeReference}" on ${this.gateway}.`,
      );
    }
    const { amount: captured } = charge.request;
    if (charge.request.paymentId !== request.paymentId) {
      return rejected('payment_mismatch', `Charge "${request.chargeReference}" belongs to payment ${charge.request.paymentId}, not ${request.paymentId}.`);
    }
    if (captured.currency.code !== request.amount.currency.code) {
      return rejected('currency_mismatch', `Charge "${request.chargeReference}" was captured in ${captured.currency.code}, not ${request.amount.currency.code}.`);
    }
    const refundable = captured.amount - charge.refunded;
    if (request.amount.amount > refundable) {
      return rejected(
        'amount_exceeds_refundable',
        `Refund of ${request.amount.toString()} exceeds the ${Money.of(refundable, captured.currency.code).toString()} ` +
          `still refundable on charge "${request.chargeReference}" (captured ${captured.toString()}).`,
      );
    }
    const refund: LedgerRefund = Object.freeze({
      reference: request.reference,
      gatewayReference: gatewayReference(),
      amount: request.amount,
      refundedAt: now,
    });
    charge.refunds.push(refund);
    charge.refunded += request.amount.amount;
    charge.snapshot = null;
    return Object.freeze({ outcome: 'REFUNDED', gatewayReference: refund.gatewayReference });
  }

  private snapshotOf(record: ChargeRecord): LedgerEntry {
    if (record.snapshot !== null) return record.snapshot;
    const { request, result } = record;
    const snapshot: LedgerEntry = Object.freeze({
      gateway: this.gateway,
      reference: request.reference,
      paymentId: request.paymentId,
      merchantId: request.merchantId,
      amount: request.amount,
      currency: request.amount.currency.code,
      outcome: record.outcome,
      gatewayReference: result?.outcome === 'APPROVED' ? result.gatewayReference : null,
      fee: result?.outcome === 'APPROVED' ? (result.fee ?? null) : null,
      declineCode: result?.outcome === 'DECLINED' ? result.declineCode : null,
      declineType: result?.outcome === 'DECLINED' ? result.declineType : null,
      refunds: Object.freeze([...record.refunds]),
      refundedAmount: Money.of(record.refunded, request.amount.currency.code),
      receivedAt: record.receivedAt,
      decidedAt: record.decidedAt,
      requestCount: record.requestCount,
    });
    record.snapshot = snapshot;
    return snapshot;
  }
}

function rejected(code: string, message: string): StoredRefundResult {
  return Object.freeze({ outcome: 'REJECTED', code, message });
}
