import type { GatewayType, JsonValue, PaymentSnapshot, PaymentStatus } from '@aegispay/domain';

/**
 * How a `processPayment` call ended.
 *
 * - `SUCCEEDED`: the payment is `PAID`.
 * - `DECLINED`: the issuer or gateway declined it; the payment is `FAILED` with the decline code.
 * - `FAILED`: no gateway could process it (technical failures everywhere, no healthy gateway).
 * - `REJECTED`: refused before any gateway was called (validation or fraud hooks).
 * - `PENDING_RECOVERY`: a gateway may have charged but did not say; the payment stays
 *   `PROCESSING` until recovery learns the outcome from that gateway. No other gateway is tried.
 * - `IN_PROGRESS`: another request with the same idempotency key is still running.
 */
export type PaymentOutcome = 'SUCCEEDED' | 'DECLINED' | 'FAILED' | 'REJECTED' | 'PENDING_RECOVERY' | 'IN_PROGRESS';

/** The answer of `processPayment`: JSON-safe, so it can be stored and replayed for an idempotency key. */
export interface PaymentResult {
  readonly outcome: PaymentOutcome;
  /** `null` only for `IN_PROGRESS`. */
  readonly paymentId: string | null;
  readonly status: PaymentStatus | null;
  /** The gateway that captured the payment, or the last one that answered. */
  readonly gateway: GatewayType | null;
  /** Decline or failure code (`insufficient_funds`, `ALL_GATEWAYS_FAILED`, `FRAUD_REJECTED`…). */
  readonly code: string | null;
  /** A sentence a person can read. */
  readonly reason: string;
  /** Gateway calls made for this payment so far. */
  readonly attempts: number;
  /** True when this is the stored answer of an earlier request with the same idempotency key. */
  readonly replayed: boolean;
  /** The payment as stored when the answer was given. */
  readonly payment: PaymentSnapshot | null;
}

/** A refund that was recorded. */
export interface RefundResult {
  readonly paymentId: string;
  readonly refundId: string;
  /** Minor units. */
  readonly amount: number;
  readonly currency: string;
  readonly status: PaymentStatus;
  /** True when the refund with this idempotency key had already been recorded. */
  readonly replayed: boolean;
  readonly payment: PaymentSnapshot;
}

/** Builds the {@link PaymentResult} of a stored payment. */
export function paymentResultOf(
  payment: { readonly id: string; readonly status: PaymentStatus; readonly gateway: GatewayType | null; readonly attempts: readonly unknown[]; toSnapshot(): PaymentSnapshot },
  outcome: PaymentOutcome,
  gateway: GatewayType | null,
  code: string | null,
  reason: string,
  attempts = 0,
): PaymentResult {
  return {
    outcome,
    paymentId: payment.id,
    status: payment.status,
    gateway: gateway ?? payment.gateway,
    code,
    reason,
    attempts: attempts || payment.attempts.length,
    replayed: false,
    payment: payment.toSnapshot(),
  };
}

/** True for the outcomes that end a payment: only these are stored as an idempotency key's answer. */
export function isFinalOutcome(outcome: PaymentOutcome): boolean {
  return outcome === 'SUCCEEDED' || outcome === 'DECLINED' || outcome === 'FAILED' || outcome === 'REJECTED';
}

/**
 * The outcome a stored payment stands for, read from its status and failure: what a request that
 * created it was (or will be) answered. `PROCESSING` is `PENDING_RECOVERY`; `PENDING` and
 * `REQUIRES_ACTION` are `IN_PROGRESS`; a `CANCELLED` payment never reached a gateway (`FAILED`).
 */
export function outcomeOfStored(payment: {
  readonly status: PaymentStatus;
  readonly failureCode: string | null;
  readonly attempts: readonly { readonly outcome: string; readonly declineCode: string | null }[];
}): PaymentOutcome {
  switch (payment.status) {
    case 'PAID':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED':
      return 'SUCCEEDED';
    case 'PROCESSING':
      return 'PENDING_RECOVERY';
    case 'PENDING':
    case 'REQUIRES_ACTION':
      return 'IN_PROGRESS';
    case 'CANCELLED':
      return 'FAILED';
    case 'FAILED': {
      const last = payment.attempts.at(-1);
      if (last === undefined) return payment.failureCode === 'VALIDATION_FAILED' || payment.failureCode === 'FRAUD_REJECTED' ? 'REJECTED' : 'FAILED';
      return last.outcome === 'DECLINED' && last.declineCode === payment.failureCode ? 'DECLINED' : 'FAILED';
    }
  }
}

/**
 * A result as the JSON value the idempotency store keeps. A result is JSON data already (strings,
 * numbers, booleans, nulls, frozen plain objects and arrays, never `undefined`): no copy needed.
 */
export function paymentResultJson(result: PaymentResult): JsonValue {
  return result as unknown as JsonValue;
}
