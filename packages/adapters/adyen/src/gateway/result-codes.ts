import type { ChargeRequest, ChargeResult, ChargeStatusResult, JsonValue, NextAction } from '@aegispay/domain';
import { refusalReasonOf } from './refusal-reasons';

/** What an Adyen `/payments` answer says, before it becomes a {@link ChargeResult}. */
export interface AdyenPaymentAnswer {
  readonly resultCode?: string;
  readonly pspReference?: string;
  readonly refusalReason?: string;
  readonly refusalReasonCode?: string;
  readonly action?: unknown;
}

/** The AegisPay outcome each Adyen `resultCode` maps to. */
export type AdyenResultOutcome = 'APPROVED' | 'DECLINED' | 'TECHNICAL_FAILURE' | 'PENDING' | 'REQUIRES_ACTION';

/**
 * Adyen `resultCode` → AegisPay outcome. Source: Adyen Checkout API v72, `PaymentResponse.resultCode`
 * (docs.adyen.com/online-payments/payment-result-codes).
 *
 * - `Cancelled` is a decline (HARD unless its refusal reason says otherwise): the shopper or the
 *   merchant stopped the payment before it completed, a final state in which nothing was captured.
 *   It is a business outcome that says nothing about Adyen's health, so it must not count against
 *   Adyen's breaker the way a technical failure would, and retrying it elsewhere would go against
 *   that decision.
 * - `Error` is final too but is Adyen's or the acquirer's failure: a technical failure, retryable
 *   (another attempt under a new reference, here or elsewhere, is a new payment).
 * - `PresentToShopper` carries an action (a voucher, a QR code) like the three shopper codes.
 * - Anything else (`PartiallyAuthorised`, which AegisPay never asks for, authentication-only codes,
 *   a code added later) is an UNKNOWN outcome: never assumed to have charged nothing.
 */
export const ADYEN_RESULT_CODES: Readonly<Record<string, AdyenResultOutcome>> = {
  Authorised: 'APPROVED',
  Refused: 'DECLINED',
  Cancelled: 'DECLINED',
  Error: 'TECHNICAL_FAILURE',
  Pending: 'PENDING',
  Received: 'PENDING',
  RedirectShopper: 'REQUIRES_ACTION',
  IdentifyShopper: 'REQUIRES_ACTION',
  ChallengeShopper: 'REQUIRES_ACTION',
  PresentToShopper: 'REQUIRES_ACTION',
};

/** The {@link ChargeResult} of an Adyen `/payments` answer. */
export function chargeResultOf(answer: AdyenPaymentAnswer): ChargeResult {
  const outcome = answer.resultCode === undefined ? undefined : ADYEN_RESULT_CODES[answer.resultCode];
  const psp = answer.pspReference;
  switch (outcome) {
    case 'APPROVED':
      return psp === undefined ? unknown(answer, 'an authorisation without a pspReference') : { outcome: 'APPROVED', gatewayReference: psp };
    case 'DECLINED':
      return declined(answer);
    case 'TECHNICAL_FAILURE': {
      const reason = refusalReasonOf(answer.refusalReasonCode, answer.refusalReason);
      return { outcome: 'TECHNICAL_FAILURE', errorCode: `ADYEN_ERROR_${reason.declineCode.toUpperCase()}`, retryable: true, message: `Adyen answered Error: ${answer.refusalReason ?? 'no reason given'}` };
    }
    case 'PENDING':
      return { outcome: 'PENDING', ...(psp === undefined ? {} : { gatewayReference: psp }), reason: `Adyen answered ${answer.resultCode}; the AUTHORISATION webhook brings the outcome` };
    case 'REQUIRES_ACTION': {
      const action = nextActionOf(answer.action);
      if (psp === undefined || action === undefined) return unknown(answer, 'a shopper action without a pspReference or an action');
      return { outcome: 'REQUIRES_ACTION', gatewayReference: psp, action };
    }
    default:
      return unknown(answer, `resultCode ${answer.resultCode ?? '(none)'}, which AegisPay does not act on`);
  }
}

/**
 * What an Adyen `/payments` answer says about the charge, as a status lookup: the same mapping as
 * {@link chargeResultOf}, with `Error` read as a SOFT decline (a final state in which nothing was
 * charged; a lookup has no technical-failure answer).
 */
export function chargeStatusOf(answer: AdyenPaymentAnswer, request: ChargeRequest): ChargeStatusResult {
  const result = chargeResultOf(answer);
  switch (result.outcome) {
    case 'APPROVED':
      return { status: 'APPROVED', gatewayReference: result.gatewayReference, amount: request.amount };
    case 'DECLINED':
      return { status: 'DECLINED', declineCode: result.declineCode, declineType: result.declineType };
    case 'TECHNICAL_FAILURE':
      return { status: 'DECLINED', declineCode: result.errorCode.toLowerCase(), declineType: 'SOFT' };
    case 'PENDING':
      return { status: 'PENDING', ...(result.gatewayReference === undefined ? {} : { gatewayReference: result.gatewayReference }) };
    case 'REQUIRES_ACTION':
      return { status: 'REQUIRES_ACTION', gatewayReference: result.gatewayReference, action: result.action };
    case 'UNKNOWN':
      return { status: 'UNKNOWN', reason: result.reason };
  }
}

function declined(answer: AdyenPaymentAnswer): ChargeResult {
  if (answer.resultCode === 'Cancelled' && answer.refusalReasonCode === undefined && answer.refusalReason === undefined) {
    return { outcome: 'DECLINED', declineCode: 'cancelled', declineType: 'HARD', message: 'Adyen answered Cancelled' };
  }
  const reason = refusalReasonOf(answer.refusalReasonCode, answer.refusalReason);
  return { outcome: 'DECLINED', declineCode: reason.declineCode, declineType: reason.declineType, message: answer.refusalReason ?? reason.reason };
}

function unknown(answer: AdyenPaymentAnswer, what: string): ChargeResult {
  return { outcome: 'UNKNOWN', reason: `Adyen answered ${what}${answer.pspReference === undefined ? '' : ` (pspReference ${answer.pspReference})`}` };
}

/**
 * The {@link NextAction} of an Adyen `action`: a `redirect` becomes a REDIRECT (its `url`, `method`
 * and, for a POST, its form `data`); every other type (`threeDS2`, `sdk`, `qrCode`, `voucher`,
 * `await`…) becomes SDK with the whole action object as `data`, which Adyen's client SDKs take as
 * it is (`handleAction(action)`).
 */
export function nextActionOf(action: unknown): NextAction | undefined {
  const plain = toJsonObject(action);
  if (plain === undefined) return undefined;
  if (plain['type'] === 'redirect' && typeof plain['url'] === 'string') {
    const method = plain['method'] === 'POST' ? 'POST' : 'GET';
    const data = toJsonObject(plain['data']);
    return { type: 'REDIRECT', url: plain['url'], method, ...(data === undefined ? {} : { data }) };
  }
  return { type: 'SDK', data: plain };
}

type JsonObject = Readonly<Record<string, JsonValue>>;

function toJsonObject(value: unknown): JsonObject | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}
