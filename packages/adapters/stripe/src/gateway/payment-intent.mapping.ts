import type { ChargeResult, ChargeStatusResult, JsonValue, NextAction } from '@aegispay/domain';
import type Stripe from 'stripe';
import { fromStripeAmount } from './stripe-amounts';
import { declineTypeOf } from './stripe-decline-codes';

/*
 * What a PaymentIntent's status means for AegisPay
 * (https://docs.stripe.com/payments/paymentintents/lifecycle):
 *   succeeded               → APPROVED (captured: AegisPay creates PaymentIntents with automatic capture)
 *   processing              → PENDING (Stripe decides later and says so by webhook)
 *   requires_action         → REQUIRES_ACTION with the next action for the customer
 *   requires_payment_method → DECLINED with the last payment error (after a failed attempt)
 *   canceled                → DECLINED HARD (`canceled`, or `canceled:<cancellation_reason>`)
 *   requires_confirmation, requires_capture → PENDING (not produced by the connector's own requests)
 */

/** The charge result a PaymentIntent stands for. */
export function chargeResultOfPaymentIntent(intent: Stripe.PaymentIntent): ChargeResult {
  const status = chargeStatusOfPaymentIntent(intent);
  switch (status.status) {
    case 'APPROVED':
      return { outcome: 'APPROVED', gatewayReference: status.gatewayReference };
    case 'DECLINED':
      return { outcome: 'DECLINED', declineCode: status.declineCode, declineType: status.declineType, ...messageOf(intent) };
    case 'REQUIRES_ACTION':
      return { outcome: 'REQUIRES_ACTION', gatewayReference: intent.id, action: status.action ?? sdkAction(intent, 'use_stripe_sdk') };
    default:
      return { outcome: 'PENDING', gatewayReference: intent.id, reason: intent.status };
  }
}

/** What a PaymentIntent says about its charge, for a status lookup or a webhook. */
export function chargeStatusOfPaymentIntent(intent: Stripe.PaymentIntent): ChargeStatusResult {
  switch (intent.status) {
    case 'succeeded':
      return { status: 'APPROVED', gatewayReference: intent.id, amount: fromStripeAmount(intent.amount_received || intent.amount, intent.currency) };
    case 'requires_action':
      return { status: 'REQUIRES_ACTION', gatewayReference: intent.id, action: nextActionOf(intent) };
    case 'requires_payment_method': {
      const error = intent.last_payment_error;
      if (error === null) return { status: 'PENDING', gatewayReference: intent.id };
      const code = error.decline_code ?? error.code ?? 'card_declined';
      return { status: 'DECLINED', declineCode: code, declineType: declineTypeOf(code) };
    }
    case 'canceled': {
      const code = intent.cancellation_reason === null ? 'canceled' : `canceled:${intent.cancellation_reason}`;
      return { status: 'DECLINED', declineCode: code, declineType: 'HARD' };
    }
    default:
      return { status: 'PENDING', gatewayReference: intent.id };
  }
}

/**
 * The action Stripe asks the customer to take: `redirect_to_url` becomes a `REDIRECT` to Stripe's
 * URL; anything else (`use_stripe_sdk` for 3-D Secure in the page, vouchers, bank instructions…)
 * becomes an `SDK` action carrying the PaymentIntent's client secret for Stripe.js
 * (`stripe.handleNextAction({ clientSecret })`). The client secret lets a browser confirm this one
 * PaymentIntent; it is not an API key.
 */
export function nextActionOf(intent: Stripe.PaymentIntent): NextAction {
  const next = intent.next_action;
  if (next?.type === 'redirect_to_url' && typeof next.redirect_to_url?.url === 'string') {
    return { type: 'REDIRECT', url: next.redirect_to_url.url, method: 'GET' };
  }
  return sdkAction(intent, next?.type ?? 'use_stripe_sdk');
}

function sdkAction(intent: Stripe.PaymentIntent, nextActionType: string): NextAction {
  const data: Record<string, JsonValue> = { paymentIntentId: intent.id, nextActionType };
  if (intent.client_secret !== null) data['clientSecret'] = intent.client_secret;
  return { type: 'SDK', data };
}

function messageOf(intent: Stripe.PaymentIntent): { message?: string } {
  const message = intent.last_payment_error?.message;
  return message === undefined ? {} : { message };
}
