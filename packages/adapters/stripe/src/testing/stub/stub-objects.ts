import { randomBytes } from 'node:crypto';

/*
 * The JSON objects the stub answers with, shaped as in Stripe's API reference
 * (https://docs.stripe.com/api/payment_intents/object, /api/refunds/object, /api/events/object,
 * /api/errors) and the fixtures of github.com/stripe/openapi. Only the fields a client reads are
 * filled in with meaning; the others carry Stripe's neutral values.
 */

/** A JSON object as the stub stores and sends it. */
export type StubObject = Record<string, unknown>;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Stripe-looking id: `prefix_` and 24 random letters and digits. */
export function stripeId(prefix: string): string {
  const bytes = randomBytes(24);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${id}`;
}

/** The fields a new PaymentIntent is made of. */
export interface NewPaymentIntent {
  readonly id: string;
  readonly amount: number;
  readonly currency: string;
  readonly paymentMethod: string | null;
  readonly metadata: Record<string, string>;
  readonly captureMethod: string;
  readonly allowRedirects: string | null;
  readonly createdSeconds: number;
}

/** A PaymentIntent in `requires_payment_method` (confirmation then moves it on). */
export function paymentIntentObject(fields: NewPaymentIntent): StubObject {
  return {
    id: fields.id,
    object: 'payment_intent',
    amount: fields.amount,
    amount_capturable: 0,
    amount_received: 0,
    automatic_payment_methods: fields.allowRedirects === null ? null : { enabled: true, allow_redirects: fields.allowRedirects },
    canceled_at: null,
    cancellation_reason: null,
    capture_method: fields.captureMethod,
    client_secret: `${fields.id}_secret_${stripeId('x').slice(2)}`,
    confirmation_method: 'automatic',
    created: fields.createdSeconds,
    currency: fields.currency,
    customer: null,
    description: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: fields.metadata,
    next_action: null,
    payment_method: fields.paymentMethod,
    payment_method_types: ['card'],
    processing: null,
    status: fields.paymentMethod === null ? 'requires_payment_method' : 'requires_confirmation',
  };
}

/** The `last_payment_error` (and 402 error body) of a declined confirmation. */
export function cardErrorObject(code: string, declineCode: string | undefined, message: string, chargeId: string | null, paymentMethod: StubObject | null): StubObject {
  return {
    type: 'card_error',
    code,
    ...(declineCode === undefined ? {} : { decline_code: declineCode }),
    message,
    doc_url: `https://docs.stripe.com/error-codes/${code.replace(/_/g, '-')}`,
    ...(chargeId === null ? {} : { charge: chargeId }),
    ...(paymentMethod === null ? {} : { payment_method: paymentMethod }),
  };
}

/** The PaymentMethod object of a test card, as embedded in errors. */
export function paymentMethodObject(id: string, brand: string, last4: string, createdSeconds: number): StubObject {
  return { id, object: 'payment_method', type: 'card', card: { brand, last4, exp_month: 12, exp_year: 2034, funding: 'credit' }, created: createdSeconds, livemode: false, metadata: {} };
}

/** The fields a new Refund is made of. */
export interface NewRefund {
  readonly id: string;
  readonly amount: number;
  readonly currency: string;
  readonly chargeId: string | null;
  readonly paymentIntentId: string;
  readonly reason: string | null;
  readonly metadata: Record<string, string>;
  readonly status: 'succeeded' | 'pending';
  readonly createdSeconds: number;
}

/** A Refund. */
export function refundObject(fields: NewRefund): StubObject {
  return {
    id: fields.id,
    object: 'refund',
    amount: fields.amount,
    balance_transaction: null,
    charge: fields.chargeId,
    created: fields.createdSeconds,
    currency: fields.currency,
    failure_reason: null,
    metadata: fields.metadata,
    payment_intent: fields.paymentIntentId,
    reason: fields.reason,
    receipt_number: null,
    status: fields.status,
  };
}

/** An Event about `object`. */
export function eventObject(id: string, type: string, object: StubObject, createdSeconds: number, apiVersion: string, requestId: string | null, idempotencyKey: string | null): StubObject {
  return {
    id,
    object: 'event',
    api_version: apiVersion,
    created: createdSeconds,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: requestId, idempotency_key: idempotencyKey },
    type,
  };
}

/** Stripe's error envelope: `{ "error": { type, code?, message, param? } }`. */
export function errorBody(type: string, message: string, extra: StubObject = {}): StubObject {
  return { error: { type, message, ...extra } };
}
