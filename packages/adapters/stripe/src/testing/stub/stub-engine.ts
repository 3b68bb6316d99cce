import type { FormParams, FormValue } from './form-body';
import type { StubLedger } from './stub-ledger';
import { cardErrorObject, errorBody, eventObject, paymentIntentObject, paymentMethodObject, refundObject, stripeId, type StubObject } from './stub-objects';
import { InvalidStubRequest, booleanParam, metadataParam, onlyKnown, optionalPositiveInteger, optionalString, requiredString, type StubAnswer } from './stub-params';
import { testPaymentMethod, type TestPaymentMethodOutcome } from './test-payment-methods';

/** Where and when a request is carried out. */
export interface StubRequestContext {
  readonly nowMs: number;
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
  readonly apiVersion: string;
  /** The stub's base URL (for 3-D Secure pages). */
  readonly baseUrl: string;
}

/** Behaviours the control turns on for the next requests (counters, decremented as used). */
export interface StubBehaviour {
  /** PaymentIntents that would succeed stay `processing` until settled. */
  asyncPayments: number;
  /** Refunds stay `pending` until settled. */
  asyncRefunds: number;
}

const PAYMENT_INTENT_PARAMS = ['amount', 'currency', 'payment_method', 'confirm', 'capture_method', 'return_url', 'automatic_payment_methods', 'metadata', 'description', 'payment_method_types', 'expand'];
const REFUND_PARAMS = ['payment_intent', 'amount', 'reason', 'metadata', 'expand'];
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];
const AUTHENTICATION_FAILURE = 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.';

/**
 * The Stripe behaviours the stub reproduces, on its ledger: PaymentIntents created and confirmed
 * with a test PaymentMethod, retrieved; Refunds created on a PaymentIntent, retrieved; 3-D Secure
 * completed; async payments and refunds settled. Each call runs inside the caller's transaction and
 * records the events Stripe would send.
 */
export class StubEngine {
  constructor(
    private readonly ledger: StubLedger,
    private readonly behaviour: StubBehaviour,
  ) {}

  /** POST /v1/payment_intents. */
  createPaymentIntent(params: FormParams, context: StubRequestContext): StubAnswer {
    onlyKnown(params, PAYMENT_INTENT_PARAMS);
    const amount = optionalPositiveInteger(params, 'amount');
    if (amount === undefined) throw new InvalidStubRequest('Missing required param: amount.', 'parameter_missing', 'amount');
    const currency = requiredString(params, 'currency');
    if (!/^[a-z]{3}$/.test(currency)) throw new InvalidStubRequest(`Invalid currency: ${currency}. Stripe currently supports these currencies: lower-case ISO codes.`, 'parameter_invalid_string', 'currency');
    if (currency === 'isk' && amount % 100 !== 0) {
      throw new InvalidStubRequest('Invalid amount. Currency ISK has become effectively zero-decimal and charged amounts must be evenly divisible by 100.', 'invalid_charge_amount_no_decimal_compatible', 'amount');
    }
    const captureMethod = optionalString(params, 'capture_method') ?? 'automatic';
    if (!['automatic', 'automatic_async', 'manual'].includes(captureMethod)) throw new InvalidStubRequest(`Invalid capture_method: ${captureMethod}`, 'parameter_invalid_string', 'capture_method');
    const paymentMethodId = optionalString(params, 'payment_method') ?? null;
    const confirm = booleanParam(params, 'confirm', false);
    const returnUrl = optionalString(params, 'return_url') ?? null;
    const allowRedirects = redirectsOf(params['automatic_payment_methods']);
    const metadata = metadataParam(params);
    const testMethod = paymentMethodId === null ? undefined : testPaymentMethod(paymentMethodId);
    if (paymentMethodId !== null && testMethod === undefined) throw new InvalidStubRequest(`No such PaymentMethod: '${paymentMethodId}'`, 'resource_missing', 'payment_method');
    if (confirm && paymentMethodId === null) throw new InvalidStubRequest('You cannot confirm this PaymentIntent because it is missing a payment method.', 'parameter_missing', 'payment_method');
    if (confirm && returnUrl === null && allowRedirects !== 'never' && params['payment_method_types'] === undefined) {
      throw new InvalidStubRequest(
        'This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, ' +
          'you must provide a `return_url`. If you don\'t want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never`.',
        undefined,
        'return_url',
      );
    }
    const createdSeconds = Math.floor(context.nowMs / 1_000);
    const intent = paymentIntentObject({ id: stripeId('pi'), amount, currency, paymentMethod: paymentMethodId, metadata, captureMethod, allowRedirects: allowRedirects ?? 'always', createdSeconds });
    this.ledger.insertPaymentIntent(intent, context.idempotencyKey, returnUrl, context.nowMs);
    this.emit('payment_intent.created', intent, context);
    if (!confirm || testMethod === undefined) return { status: 200, body: intent, saved: true };
    if (testMethod.outcome.kind === 'authenticate') {
      intent['status'] = 'requires_action';
      intent['next_action'] = nextActionFor(intent, returnUrl, context.baseUrl);
      return this.save(intent, 'payment_intent.requires_action', context);
    }
    if (testMethod.outcome.kind === 'succeed' && this.behaviour.asyncPayments > 0) {
      this.behaviour.asyncPayments -= 1;
      intent['status'] = 'processing';
      return this.save(intent, 'payment_intent.processing', context);
    }
    return this.decide(intent, testMethod.outcome, context);
  }

  /** GET /v1/payment_intents/:id. */
  retrievePaymentIntent(id: string): StubAnswer {
    const stored = this.ledger.paymentIntent(id);
    if (stored === undefined) return new InvalidStubRequest(`No such payment_intent: '${id}'`, 'resource_missing', 'id', 404).answer();
    return { status: 200, body: stored.object, saved: false };
  }

  /** POST /v1/refunds (on a PaymentIntent). */
  createRefund(params: FormParams, context: StubRequestContext): StubAnswer {
    onlyKnown(params, REFUND_PARAMS);
    const paymentIntentId = optionalString(params, 'payment_intent');
    if (paymentIntentId === undefined) throw new InvalidStubRequest('One of the following params should be provided for this request: payment_intent or charge.', 'parameter_missing', 'payment_intent');
    const amount = optionalPositiveInteger(params, 'amount');
    const reason = optionalString(params, 'reason') ?? null;
    if (reason !== null && !REFUND_REASONS.includes(reason)) throw new InvalidStubRequest(`Invalid reason: must be one of ${REFUND_REASONS.join(', ')}`, 'parameter_invalid_string', 'reason');
    const metadata = metadataParam(params);
    const stored = this.ledger.paymentIntent(paymentIntentId);
    if (stored === undefined) throw new InvalidStubRequest(`No such payment_intent: '${paymentIntentId}'`, 'resource_missing', 'payment_intent');
    const intent = stored.object;
    if (intent['status'] !== 'succeeded') {
      throw new InvalidStubRequest(`This PaymentIntent (${paymentIntentId}) does not have a successful charge to refund.`, 'charge_not_refundable', 'payment_intent');
    }
    const remaining = (intent['amount_received'] as number) - this.refunded(paymentIntentId);
    if (remaining <= 0) throw new InvalidStubRequest(`Charge ${String(intent['latest_charge'])} has already been refunded.`, 'charge_already_refunded');
    if (amount !== undefined && amount > remaining) {
      throw new InvalidStubRequest(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, 'amount_too_large', 'amount');
    }
    const pending = this.behaviour.asyncRefunds > 0;
    if (pending) this.behaviour.asyncRefunds -= 1;
    const refund = refundObject({
      id: stripeId('re'),
      amount: amount ?? remaining,
      currency: intent['currency'] as string,
      chargeId: intent['latest_charge'] as string | null,
      paymentIntentId,
      reason,
      metadata,
      status: pending ? 'pending' : 'succeeded',
      createdSeconds: Math.floor(context.nowMs / 1_000),
    });
    this.ledger.insertRefund(refund, context.idempotencyKey, context.nowMs);
    this.emit('refund.created', refund, context);
    return { status: 200, body: refund, saved: true };
  }

  /** GET /v1/refunds/:id. */
  retrieveRefund(id: string): StubAnswer {
    const refund = this.ledger.refund(id);
    if (refund === undefined) return new InvalidStubRequest(`No such refund: '${id}'`, 'resource_missing', 'id', 404).answer();
    return { status: 200, body: refund, saved: false };
  }

  /** The customer completes (or fails) 3-D Secure on a PaymentIntent in `requires_action`. */
  completeAction(id: string, outcome: 'succeed' | 'fail', context: StubRequestContext): StubObject {
    const intent = this.intentIn(id, 'requires_action');
    intent['next_action'] = null;
    if (outcome === 'fail') {
      intent['status'] = 'requires_payment_method';
      intent['last_payment_error'] = { type: 'invalid_request_error', code: 'payment_intent_authentication_failure', message: AUTHENTICATION_FAILURE };
      this.save(intent, 'payment_intent.payment_failed', context);
      return intent;
    }
    const method = testPaymentMethod(String(intent['payment_method']));
    const then = method?.outcome.kind === 'authenticate' ? method.outcome.then : { kind: 'succeed' as const };
    this.decide(intent, then, context);
    return intent;
  }

  /** A `processing` PaymentIntent succeeds or fails. */
  settlePaymentIntent(id: string, outcome: 'succeeded' | 'failed', context: StubRequestContext): StubObject {
    const intent = this.intentIn(id, 'processing');
    this.decide(intent, outcome === 'succeeded' ? { kind: 'succeed' } : { kind: 'decline', code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' }, context);
    return intent;
  }

  /** A `pending` refund succeeds or fails. */
  settleRefund(id: string, outcome: 'succeeded' | 'failed', context: StubRequestContext): StubObject {
    const refund = this.ledger.refund(id);
    if (refund === undefined || refund['status'] !== 'pending') throw new InvalidStubRequest(`Refund ${id} is not pending.`, 'refund_unexpected_state');
    refund['status'] = outcome;
    if (outcome === 'failed') refund['failure_reason'] = 'declined';
    this.ledger.updateRefund(refund);
    this.emit('refund.updated', refund, context);
    this.emit('charge.refund.updated', refund, context);
    if (outcome === 'failed') this.emit('refund.failed', refund, context);
    return refund;
  }

  /** Amount refunded or being refunded on the PaymentIntent. */
  refunded(paymentIntentId: string): number {
    return this.ledger
      .refundsOf(paymentIntentId)
      .filter((refund) => refund['status'] === 'succeeded' || refund['status'] === 'pending')
      .reduce((sum, refund) => sum + (refund['amount'] as number), 0);
  }

  /** Applies the issuer's decision to a confirmed PaymentIntent. */
  private decide(intent: StubObject, outcome: TestPaymentMethodOutcome, context: StubRequestContext): StubAnswer {
    const chargeId = stripeId('ch');
    intent['latest_charge'] = chargeId;
    if (outcome.kind !== 'decline') {
      const manual = intent['capture_method'] === 'manual';
      intent['status'] = manual ? 'requires_capture' : 'succeeded';
      intent[manual ? 'amount_capturable' : 'amount_received'] = intent['amount'];
      return this.save(intent, manual ? 'payment_intent.amount_capturable_updated' : 'payment_intent.succeeded', context);
    }
    const method = testPaymentMethod(String(intent['payment_method']));
    const paymentMethod = paymentMethodObject(String(intent['payment_method']), method?.brand ?? 'visa', method?.last4 ?? '0000', Math.floor(context.nowMs / 1_000));
    intent['status'] = 'requires_payment_method';
    intent['last_payment_error'] = cardErrorObject(outcome.code, outcome.declineCode, outcome.message, chargeId, paymentMethod);
    this.save(intent, 'payment_intent.payment_failed', context);
    const error = cardErrorObject(outcome.code, outcome.declineCode, outcome.message, chargeId, paymentMethod);
    return { status: 402, body: errorBody('card_error', outcome.message, { ...(error as StubObject), payment_intent: intent }), saved: true };
  }

  private save(intent: StubObject, eventType: string, context: StubRequestContext): StubAnswer {
    this.ledger.updatePaymentIntent(intent);
    this.emit(eventType, intent, context);
    return { status: 200, body: intent, saved: true };
  }

  private intentIn(id: string, status: string): StubObject {
    const stored = this.ledger.paymentIntent(id);
    if (stored === undefined || stored.object['status'] !== status) throw new InvalidStubRequest(`PaymentIntent ${id} is not in status ${status}.`, 'payment_intent_unexpected_state');
    return stored.object;
  }

  private emit(type: string, object: StubObject, context: StubRequestContext): void {
    const id = stripeId('evt');
    const event = eventObject(id, type, structuredClone(object), Math.floor(context.nowMs / 1_000), context.apiVersion, context.requestId, context.idempotencyKey);
    this.ledger.insertEvent(id, type, JSON.stringify(event), context.nowMs);
  }
}

function redirectsOf(value: FormValue | undefined): string | undefined {
  if (value === undefined || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const allow = (value as Record<string, FormValue>)['allow_redirects'];
  return typeof allow === 'string' ? allow : undefined;
}

/** Stripe's next action for 3-D Secure: a redirect when a return URL was given, else work for Stripe.js. */
function nextActionFor(intent: StubObject, returnUrl: string | null, baseUrl: string): StubObject {
  const page = `${baseUrl}/_stub/3ds/${String(intent['id'])}`;
  if (returnUrl !== null) return { type: 'redirect_to_url', redirect_to_url: { url: page, return_url: returnUrl } };
  return { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: page, source: stripeId('src') } };
}
