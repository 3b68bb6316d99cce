import { assertMinorUnits } from '../money/money';
import type { GatewayType } from '../ports/gateway-type';
import { findCardNumber } from './card-number-finder';
import { requireIdempotencyKey, requireText } from './payment-input';
import type { PaymentSnapshot } from './payment-snapshot';
import type { PaymentStatus } from './payment-status';
import { CardDataDetectedError, IllegalStateTransitionError, InvalidPaymentError, RefundExceedsCapturedError } from './payment.errors';
import type { Refund, RefundStatus, RequestRefundInput, SettleRefundInput } from './refund';

/**
 * The refund arithmetic of one payment: what is reserved, what is refundable, and the checks of a
 * new or settled refund. Pure: it returns new frozen refunds and never touches the payment.
 */
export class PaymentRefunds {
  constructor(private readonly payment: Pick<PaymentSnapshot, 'id' | 'amount' | 'currency' | 'status' | 'refunds'>) {}

  /** Sum of the refunds in `status`, minor units. */
  total(status: RefundStatus): number {
    let sum = 0;
    for (const refund of this.payment.refunds) if (refund.status === status) sum += refund.amount;
    return sum;
  }

  /** The checks of `Payment.requestRefund`, and the new `PENDING` refund. */
  request(input: RequestRefundInput, made: { readonly id: string; readonly at: string; readonly gateway: GatewayType | null }): Refund {
    const { id: paymentId, status } = this.payment;
    if (status !== 'PAID' && status !== 'PARTIALLY_REFUNDED') {
      // Nothing captured, or nothing left: say so, whatever the amount asked for.
      throw new IllegalStateTransitionError(status, input.amount === undefined ? 'REFUNDED' : 'PARTIALLY_REFUNDED', paymentId);
    }
    const cardField = findCardNumber({ idempotencyKey: input.idempotencyKey, reason: input.reason }, 'refund');
    if (cardField !== undefined) throw new CardDataDetectedError(cardField);
    if (input.reason !== undefined) requireText(input.reason, 'reason', 'PAYMENT.INVALID_REFUND_REASON');
    if (input.idempotencyKey !== undefined) requireIdempotencyKey(input.idempotencyKey);
    const refundable = this.payment.amount - this.total('SUCCEEDED') - this.total('PENDING');
    const amount = input.amount === undefined ? refundable : assertMinorUnits(input.amount);
    if (amount === 0) {
      if (input.amount === undefined) throw new RefundExceedsCapturedError(paymentId, 0, 0, this.payment.currency);
      throw new InvalidPaymentError('PAYMENT.INVALID_REFUND_AMOUNT', 'amount', 'A refund amount must be greater than zero.');
    }
    if (amount > refundable) throw new RefundExceedsCapturedError(paymentId, amount, refundable, this.payment.currency);
    return Object.freeze({
      id: made.id,
      amount,
      status: 'PENDING',
      idempotencyKey: input.idempotencyKey ?? null,
      reference: input.reference === undefined ? `${paymentId}:${made.id}` : input.reference(made.id),
      gateway: made.gateway,
      gatewayReference: null,
      reason: input.reason ?? null,
      failureCode: null,
      deadline: input.deadline ?? null,
      createdAt: made.at,
      settledAt: null,
    });
  }

  /** The refunds with `refundId` settled, the settled refund, and the payment's status after it. */
  settle(refundId: string, outcome: SettleRefundInput, at: string): { readonly refunds: readonly Refund[]; readonly settled: Refund; readonly status: PaymentStatus } {
    const index = this.payment.refunds.findIndex((refund) => refund.id === refundId);
    const current = this.payment.refunds[index];
    if (current === undefined) {
      throw new InvalidPaymentError('PAYMENT.UNKNOWN_REFUND', 'refundId', `Payment ${this.payment.id} has no refund ${refundId}.`);
    }
    if (current.status !== 'PENDING') {
      throw new InvalidPaymentError('PAYMENT.REFUND_SETTLED', 'refundId', `Refund ${refundId} of payment ${this.payment.id} is ${current.status} already.`);
    }
    const settled: Refund = Object.freeze({
      ...current,
      status: outcome.outcome,
      gatewayReference: outcome.outcome === 'SUCCEEDED' ? (outcome.gatewayReference ?? current.gatewayReference) : current.gatewayReference,
      failureCode: outcome.outcome === 'SUCCEEDED' ? null : outcome.code,
      settledAt: at,
    });
    const refunds = [...this.payment.refunds];
    refunds[index] = settled;
    let status = this.payment.status;
    if (settled.status === 'SUCCEEDED') status = this.total('SUCCEEDED') + settled.amount === this.payment.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    return { refunds: Object.freeze(refunds), settled, status };
  }

  /** Records the gateway's id of a still-pending refund (the gateway accepted it and confirms later). */
  withGatewayReference(refundId: string, gatewayReference: string): readonly Refund[] {
    return Object.freeze(this.payment.refunds.map((refund) => (refund.id === refundId && refund.status === 'PENDING' ? Object.freeze({ ...refund, gatewayReference }) : refund)));
  }
}
