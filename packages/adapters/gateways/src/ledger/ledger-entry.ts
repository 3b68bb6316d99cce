import type { DeclineType, GatewayType, Money } from '@aegispay/domain';

/**
 * Where a charge stands in a gateway's ledger: `PENDING` from the moment the request arrives
 * until the gateway decides, then `APPROVED` or `DECLINED` for good.
 */
export type LedgerOutcome = 'PENDING' | 'APPROVED' | 'DECLINED';

/** A refund applied to an approved charge. */
export interface LedgerRefund {
  /** The refund's idempotency reference. */
  readonly reference: string;
  /** The gateway's identifier of the refund. */
  readonly gatewayReference: string;
  readonly amount: Money;
  /** When the gateway applied it, epoch ms of the gateway's clock. */
  readonly refundedAt: number;
}

/**
 * One charge as the gateway recorded it: a plain, frozen snapshot. Charges are keyed by their
 * idempotency `reference`; a request that failed technically before processing leaves no entry.
 */
export interface LedgerEntry {
  /** The gateway that holds the entry. */
  readonly gateway: GatewayType;
  /** The idempotency reference of the charge (one per payment attempt). */
  readonly reference: string;
  readonly paymentId: string;
  readonly merchantId: string;
  readonly amount: Money;
  /** ISO 4217 code of `amount`, for filtering and grouping. */
  readonly currency: string;
  readonly outcome: LedgerOutcome;
  /** The gateway's identifier of the approved charge (refunds name it); `null` unless approved. */
  readonly gatewayReference: string | null;
  /** What the gateway charged the merchant; `null` unless approved. */
  readonly fee: Money | null;
  /** Decline code and type; `null` unless declined. */
  readonly declineCode: string | null;
  readonly declineType: DeclineType | null;
  /** Refunds applied to the charge, oldest first. */
  readonly refunds: readonly LedgerRefund[];
  /** Sum of `refunds`, never above `amount`. */
  readonly refundedAmount: Money;
  /** When the request arrived, epoch ms of the gateway's clock. */
  readonly receivedAt: number;
  /** When the gateway decided; `null` while `PENDING`. */
  readonly decidedAt: number | null;
  /** How many requests carried this reference (1 = once; more = replays answered from the ledger). */
  readonly requestCount: number;
}

/** Anything whose ledger can be inspected: every `SimulatedGateway`. */
export interface InspectableLedger {
  readonly name: GatewayType;
  /** A snapshot of every charge the gateway has recorded, in arrival order. */
  getLedger(): readonly LedgerEntry[];
}
