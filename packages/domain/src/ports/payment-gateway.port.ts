import type { Money } from '../money/money';
import type { PaymentMethod } from '../payment/payment-method';
import type { GatewayType } from './gateway-type';

/** A charge sent to a gateway. */
export interface ChargeRequest {
  /**
   * Idempotency reference, unique per payment and attempt. A gateway that sees the same
   * reference twice must return the first result and never charge again.
   */
  readonly reference: string;
  readonly paymentId: string;
  readonly merchantId: string;
  readonly amount: Money;
  readonly paymentMethod: PaymentMethod;
  readonly customerId?: string;
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Epoch ms after which the gateway must not act on this request: one that reaches it later is
   * answered as a technical failure and not recorded, as though it never arrived. This is what makes
   * a later `getStatus` answer of `NOT_FOUND` conclusive — past the deadline (and any clock skew),
   * a request still in transit can no longer turn into a charge, so trying another gateway is safe.
   * Adapters pass it on as their gateway allows; one that cannot enforce it must not answer
   * `NOT_FOUND` for a reference it may still receive.
   */
  readonly deadline?: number;
}

/** Hard declines are final (stolen card, closed account); soft declines may succeed later or elsewhere. */
export type DeclineType = 'HARD' | 'SOFT';

/** The gateway captured the money. */
export interface ChargeApproved {
  readonly outcome: 'APPROVED';
  /** The gateway's own identifier of the charge, needed for refunds. */
  readonly gatewayReference: string;
  /** What the gateway charged the merchant for this payment, when it says. */
  readonly fee?: Money;
}

/** The issuer or the gateway refused the payment: a business outcome, says nothing about gateway health. */
export interface ChargeDeclined {
  readonly outcome: 'DECLINED';
  /** Gateway decline code, for example `insufficient_funds` or `do_not_honor`. */
  readonly declineCode: string;
  readonly declineType: DeclineType;
  readonly message?: string;
}

/**
 * The gateway failed before deciding (5xx, 429, connection refused): nothing was charged.
 * `retryable` says whether trying again (here or on another gateway) is safe and sensible.
 */
export interface ChargeTechnicalFailure {
  readonly outcome: 'TECHNICAL_FAILURE';
  readonly errorCode: string;
  readonly retryable: boolean;
  readonly message?: string;
}

/**
 * The request may have reached the gateway but no answer came back (a timeout after sending,
 * a dropped connection). The charge may or may not exist: ask `getStatus(reference)` before
 * doing anything else, and never charge elsewhere while it is unknown.
 */
export interface ChargeUnknownOutcome {
  readonly outcome: 'UNKNOWN';
  readonly reason: string;
}

/** Result of {@link PaymentGateway.charge}. */
export type ChargeResult = ChargeApproved | ChargeDeclined | ChargeTechnicalFailure | ChargeUnknownOutcome;

/** A refund of (part of) an approved charge. */
export interface RefundRequest {
  /** Idempotency reference of this refund. */
  readonly reference: string;
  /** The `gatewayReference` of the approved charge. */
  readonly chargeReference: string;
  readonly paymentId: string;
  readonly amount: Money;
}

/** Result of {@link PaymentGateway.refund}. */
export type RefundResult =
  | { readonly outcome: 'REFUNDED'; readonly gatewayReference: string }
  | { readonly outcome: 'REJECTED'; readonly code: string; readonly message?: string }
  | ChargeTechnicalFailure
  | ChargeUnknownOutcome;

/** What a gateway knows about a charge reference. Result of {@link PaymentGateway.getStatus}. */
export type ChargeStatusResult =
  | { readonly status: 'APPROVED'; readonly gatewayReference: string; readonly amount: Money; readonly fee?: Money }
  | { readonly status: 'DECLINED'; readonly declineCode: string; readonly declineType: DeclineType }
  /** The gateway never received this reference: nothing was charged. */
  | { readonly status: 'NOT_FOUND' }
  /** The gateway received it and has not decided yet. */
  | { readonly status: 'PENDING' }
  /** The gateway could not answer now (it is down); ask again later. */
  | { readonly status: 'UNKNOWN'; readonly reason: string };

/**
 * A payment gateway (acquirer, PSP). Implementations return business outcomes and technical
 * failures as values; they may also throw on transport errors, which callers treat as
 * technical failures (or as unknown outcomes when the request may have been sent).
 */
export interface PaymentGateway {
  readonly name: GatewayType;
  charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult>;
  refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult>;
  getStatus(reference: string, signal?: AbortSignal): Promise<ChargeStatusResult>;
}

/** True for results that say something about the gateway's health (technical failures and unknown outcomes). */
export function isTechnicalFailure(result: ChargeResult): result is ChargeTechnicalFailure | ChargeUnknownOutcome {
  return result.outcome === 'TECHNICAL_FAILURE' || result.outcome === 'UNKNOWN';
}
