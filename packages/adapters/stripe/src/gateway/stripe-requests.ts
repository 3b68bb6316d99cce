import type { ChargeRequest, GatewayType, RefundRequest } from '@aegispay/domain';
import type Stripe from 'stripe';
import { InvalidStripeRequestError } from '../errors/stripe.errors';
import { toStripeAmount } from './stripe-amounts';

/** Metadata keys the connector writes on PaymentIntents and Refunds (and reads back from webhooks). */
export const STRIPE_METADATA_KEYS = Object.freeze({
  paymentId: 'aegispay_payment_id',
  reference: 'aegispay_reference',
  merchantId: 'aegispay_merchant_id',
  refundReference: 'aegispay_refund_reference',
  refundReason: 'aegispay_refund_reason',
} as const);

/** Stripe's own refund reasons; any other reason travels in metadata. */
const STRIPE_REFUND_REASONS: ReadonlySet<string> = new Set(['duplicate', 'fraudulent', 'requested_by_customer']);

/** Stripe's limits: idempotency keys up to 255 characters, metadata values up to 500. */
const MAX_KEY_LENGTH = 255;
const MAX_METADATA_VALUE_LENGTH = 500;

/**
 * The PaymentIntent that carries `request`: created and confirmed in one call with the payment
 * method token, captured automatically. A function of the request and `returnUrl` only, so that a
 * replay sends exactly the parameters of the first request (Stripe refuses a key reused with others).
 * The merchant's own metadata and customer id are not sent: they are AegisPay's, and Stripe's
 * metadata limits would turn a long value into a refused payment.
 * @throws InvalidStripeRequestError (nothing sent) for a request Stripe could not take.
 */
export function paymentIntentParams(gateway: GatewayType, request: ChargeRequest, returnUrl: string | undefined): Stripe.PaymentIntentCreateParams {
  checkReference(gateway, 'reference', request.reference);
  const token = request.paymentMethod?.token;
  if (typeof token !== 'string' || token.trim() === '') {
    throw new InvalidStripeRequestError(gateway, 'paymentMethod.token', `${gateway} needs a Stripe PaymentMethod id (pm_…) as the payment method token.`);
  }
  const { amount, currency } = toStripeAmount(gateway, 'amount', request.amount);
  if (amount <= 0) throw new InvalidStripeRequestError(gateway, 'amount', `${gateway} cannot charge ${request.amount.toString()}: the amount must be positive.`);
  return {
    amount,
    currency,
    payment_method: token,
    confirm: true,
    capture_method: 'automatic',
    ...(returnUrl === undefined ? { automatic_payment_methods: { enabled: true, allow_redirects: 'never' } } : { return_url: returnUrl }),
    metadata: {
      [STRIPE_METADATA_KEYS.paymentId]: metadataValue(gateway, 'paymentId', request.paymentId),
      [STRIPE_METADATA_KEYS.reference]: request.reference,
      [STRIPE_METADATA_KEYS.merchantId]: metadataValue(gateway, 'merchantId', request.merchantId),
    },
  };
}

/**
 * The Refund that carries `request`, on the PaymentIntent named by `chargeReference`. A function of
 * the request only (see {@link paymentIntentParams}).
 * @throws InvalidStripeRequestError (nothing sent) for a request Stripe could not take.
 */
export function refundParams(gateway: GatewayType, request: RefundRequest): Stripe.RefundCreateParams {
  checkReference(gateway, 'reference', request.reference);
  if (typeof request.chargeReference !== 'string' || !request.chargeReference.startsWith('pi_')) {
    throw new InvalidStripeRequestError(gateway, 'chargeReference', `${gateway} refunds a PaymentIntent: chargeReference must be its id (pi_…).`);
  }
  const { amount } = toStripeAmount(gateway, 'amount', request.amount);
  if (amount <= 0) throw new InvalidStripeRequestError(gateway, 'amount', `${gateway} cannot refund ${request.amount.toString()}: the amount must be positive.`);
  const reason = request.reason;
  const stripeReason = reason !== undefined && STRIPE_REFUND_REASONS.has(reason) ? (reason as Stripe.RefundCreateParams.Reason) : undefined;
  const metadata: Record<string, string> = {
    [STRIPE_METADATA_KEYS.paymentId]: metadataValue(gateway, 'paymentId', request.paymentId),
    [STRIPE_METADATA_KEYS.refundReference]: request.reference,
  };
  if (reason !== undefined && stripeReason === undefined) metadata[STRIPE_METADATA_KEYS.refundReason] = reason.slice(0, MAX_METADATA_VALUE_LENGTH);
  return { payment_intent: request.chargeReference, amount, ...(stripeReason === undefined ? {} : { reason: stripeReason }), metadata };
}

function checkReference(gateway: GatewayType, field: string, reference: unknown): void {
  if (typeof reference !== 'string' || reference === '' || reference.length > MAX_KEY_LENGTH) {
    throw new InvalidStripeRequestError(gateway, field, `${gateway} uses the ${field} as Stripe's Idempotency-Key: it must be 1 to ${MAX_KEY_LENGTH} characters.`);
  }
}

function metadataValue(gateway: GatewayType, field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_METADATA_VALUE_LENGTH) {
    throw new InvalidStripeRequestError(gateway, field, `${gateway} records the ${field} in metadata: it must be 1 to ${MAX_METADATA_VALUE_LENGTH} characters.`);
  }
  return value;
}
