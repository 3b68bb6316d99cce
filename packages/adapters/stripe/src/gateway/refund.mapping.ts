import type { RefundResult, RefundStatusResult } from '@aegispay/domain';
import type Stripe from 'stripe';
import { fromStripeAmount } from './stripe-amounts';

/*
 * What a Refund's status means for AegisPay (https://docs.stripe.com/refunds#refund-statuses):
 *   succeeded                 → REFUNDED
 *   pending, requires_action  → PENDING (Stripe settles it later and says so by webhook)
 *   failed, canceled          → REJECTED (`failure_reason`, or the status)
 */

/** What a Refund says about itself, for a status lookup or a webhook. */
export function refundStatusOfRefund(refund: Stripe.Refund): RefundStatusResult {
  switch (refund.status) {
    case 'succeeded':
      return { status: 'REFUNDED', gatewayReference: refund.id, amount: fromStripeAmount(refund.amount, refund.currency) };
    case 'failed':
    case 'canceled':
      return { status: 'REJECTED', code: refund.failure_reason ?? refund.status, message: `Stripe refund ${refund.id} ${refund.status}` };
    default:
      return { status: 'PENDING', gatewayReference: refund.id };
  }
}

/** The refund result a Refund stands for. */
export function refundResultOfRefund(refund: Stripe.Refund): RefundResult {
  const status = refundStatusOfRefund(refund);
  switch (status.status) {
    case 'REFUNDED':
      return { outcome: 'REFUNDED', gatewayReference: status.gatewayReference };
    case 'REJECTED':
      return { outcome: 'REJECTED', code: status.code, ...(status.message === undefined ? {} : { message: status.message }) };
    default:
      return { outcome: 'PENDING', gatewayReference: refund.id };
  }
}
