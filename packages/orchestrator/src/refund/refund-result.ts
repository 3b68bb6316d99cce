import type { Payment, PaymentSnapshot, PaymentStatus, Refund } from '@aegispay/domain';

/** A refund asked of the orchestrator. */
export interface RefundPaymentInput {
  /** Minor units; defaults to everything still refundable. */
  readonly amount?: number;
  /**
   * Required: the same key never refunds twice. A retry with the key gets the refund it made; one
   * with another amount or reason under it is refused (`RefundKeyReuseError`).
   */
  readonly idempotencyKey: string;
  readonly reason?: string;
  /** When given, a payment of another merchant is reported as not found. */
  readonly merchantId?: string;
}

/**
 * How a refund ended, when it did not fail: `REFUNDED` (the money went back) or `PENDING` (the
 * gateway accepted it and confirms later, or its answer is being confirmed; recovery and webhooks
 * settle it). Refusals are thrown as typed errors.
 */
export interface RefundPaymentResult {
  readonly outcome: 'REFUNDED' | 'PENDING';
  readonly paymentId: string;
  readonly refundId: string;
  /** Minor units. */
  readonly amount: number;
  readonly currency: string;
  /** The payment's status after the refund. */
  readonly status: PaymentStatus;
  /** True when the refund with this idempotency key had been made (or asked for) before. */
  readonly replayed: boolean;
  /** A sentence a person can read. */
  readonly reason: string;
  readonly refund: Refund;
  readonly payment: PaymentSnapshot;
}

/** The result of `refund` on a stored `payment`. */
export function refundResultOf(payment: Payment, refund: Refund, replayed: boolean): RefundPaymentResult {
  const refunded = refund.status === 'SUCCEEDED';
  return {
    outcome: refunded ? 'REFUNDED' : 'PENDING',
    paymentId: payment.id,
    refundId: refund.id,
    amount: refund.amount,
    currency: payment.currency,
    status: payment.status,
    replayed,
    reason: refunded
      ? `Refunded by ${refund.gateway ?? payment.gateway ?? 'the gateway'}.`
      : `${refund.gateway ?? 'The gateway'} has not confirmed the refund yet; it stays PENDING (its amount reserved) until it does.`,
    refund,
    payment: payment.toSnapshot(),
  };
}
