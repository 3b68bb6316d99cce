import type { JsonValue } from '../json/json';
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
   * Adapters pass it on as their gateway allows; one that cannot enforce it must never answer
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
 * What the customer must do before the gateway can decide (3-D Secure, a redirect to a bank or a
 * wallet). Handed to the merchant's front end as it is.
 */
export interface NextAction {
  /** `REDIRECT`: send the customer to `url`. `SDK`: hand `data` to the gateway's client-side SDK. */
  readonly type: 'REDIRECT' | 'SDK';
  readonly url?: string;
  /** How to follow `url` (a POST carries `data` as form fields). Defaults to `GET`. */
  readonly method?: 'GET' | 'POST';
  /** What the gateway's client SDK needs (a client secret, an action object). Never a secret key. */
  readonly data?: Readonly<Record<string, JsonValue>>;
}

/**
 * The gateway holds the charge and waits for the customer (`requires_action`, `RedirectShopper`,
 * `ChallengeShopper`). Nothing is captured yet; the outcome arrives later by webhook or status lookup.
 */
export interface ChargeActionRequired {
  readonly outcome: 'REQUIRES_ACTION';
  readonly gatewayReference: string;
  readonly action: NextAction;
}

/**
 * The gateway received the charge and will decide later (`Pending`, `Received`, `processing`): the
 * charge exists, so it must never be sent elsewhere; its outcome comes by webhook or status lookup.
 */
export interface ChargePending {
  readonly outcome: 'PENDING';
  /** The gateway's identifier, when it gave one already. */
  readonly gatewayReference?: string;
  readonly reason?: string;
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
 * a dropped connection). The charge may or may not exist: ask `getStatus` before doing anything
 * else, and never charge elsewhere while it is unknown.
 */
export interface ChargeUnknownOutcome {
  readonly outcome: 'UNKNOWN';
  readonly reason: string;
}

/** Result of {@link PaymentGateway.charge}. */
export type ChargeResult =
  | ChargeApproved
  | ChargeDeclined
  | ChargeActionRequired
  | ChargePending
  | ChargeTechnicalFailure
  | ChargeUnknownOutcome;

/**
 * What {@link PaymentGateway.getStatus} is asked about. `reference` always; the original `request`
 * whenever the caller has it (the orchestrator and recovery always do), so that an adapter whose
 * gateway has no lookup by reference can resolve the charge by replaying that request under its
 * idempotency key — which returns the first answer, or makes the one charge if the first request
 * never arrived; never a second charge.
 */
export interface ChargeStatusQuery {
  readonly reference: string;
  /** The charge exactly as it was sent. */
  readonly request?: ChargeRequest;
  /** The gateway's identifier of the charge, when an earlier answer gave it. */
  readonly gatewayReference?: string;
}

/** What a gateway knows about a charge. Result of {@link PaymentGateway.getStatus}. */
export type ChargeStatusResult =
  | { readonly status: 'APPROVED'; readonly gatewayReference: string; readonly amount: Money; readonly fee?: Money }
  | { readonly status: 'DECLINED'; readonly declineCode: string; readonly declineType: DeclineType }
  /** The customer has not completed the action the gateway asked for yet. */
  | { readonly status: 'REQUIRES_ACTION'; readonly gatewayReference: string; readonly action?: NextAction }
  /**
   * The gateway never received this reference and will not act on it any more: nothing was
   * charged. Only an adapter that knows both may say it (see {@link ChargeRequest.deadline}).
   */
  | { readonly status: 'NOT_FOUND' }
  /** The gateway received it and has not decided yet. */
  | { readonly status: 'PENDING'; readonly gatewayReference?: string }
  /** The gateway could not answer now (it is down, or it cannot tell); ask again later. */
  | { readonly status: 'UNKNOWN'; readonly reason: string };

/** A refund of (part of) an approved charge. */
export interface RefundRequest {
  /** Idempotency reference of this refund: the same reference never refunds twice. */
  readonly reference: string;
  /** The `gatewayReference` of the approved charge. */
  readonly chargeReference: string;
  readonly paymentId: string;
  readonly amount: Money;
  /** The merchant's reason, when given (gateways that take one pass it on). */
  readonly reason?: string;
  /** Epoch ms after which the gateway must not act on this request (see {@link ChargeRequest.deadline}). */
  readonly deadline?: number;
}

/** Result of {@link PaymentGateway.refund}. */
export type RefundResult =
  | { readonly outcome: 'REFUNDED'; readonly gatewayReference: string }
  /** Accepted; the gateway confirms (or refuses) it later, by webhook or refund status lookup. */
  | { readonly outcome: 'PENDING'; readonly gatewayReference?: string }
  /** Refused for good (nothing left to refund, charge not found, refund window closed). */
  | { readonly outcome: 'REJECTED'; readonly code: string; readonly message?: string }
  | ChargeTechnicalFailure
  | ChargeUnknownOutcome;

/** What {@link PaymentGateway.getRefundStatus} is asked about (see {@link ChargeStatusQuery}). */
export interface RefundStatusQuery {
  readonly reference: string;
  /** The refund exactly as it was sent. */
  readonly request?: RefundRequest;
  /** The gateway's identifier of the refund, when an earlier answer gave it. */
  readonly gatewayReference?: string;
}

/** What a gateway knows about a refund. Result of {@link PaymentGateway.getRefundStatus}. */
export type RefundStatusResult =
  | { readonly status: 'REFUNDED'; readonly gatewayReference: string; readonly amount: Money }
  | { readonly status: 'REJECTED'; readonly code: string; readonly message?: string }
  /** Received and not settled yet. */
  | { readonly status: 'PENDING'; readonly gatewayReference?: string }
  /** Never received, and will not be acted on any more: nothing was refunded. */
  | { readonly status: 'NOT_FOUND' }
  /** The gateway could not answer now; ask again later. */
  | { readonly status: 'UNKNOWN'; readonly reason: string };

/**
 * A payment gateway (acquirer, PSP). Implementations return business outcomes and technical
 * failures as values. A transport problem may also be thrown: as a {@link GatewayTransportError}
 * saying whether the request may have been sent. Callers treat any other thrown error as a request
 * that may have been sent (an unknown outcome), never as a safe failure.
 */
export interface PaymentGateway {
  readonly name: GatewayType;
  charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult>;
  /** What became of a charge. Never `NOT_FOUND` while the request could still be acted on. */
  getStatus(query: ChargeStatusQuery, signal?: AbortSignal): Promise<ChargeStatusResult>;
  refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult>;
  /** What became of a refund. Never `NOT_FOUND` while the request could still be acted on. */
  getRefundStatus(query: RefundStatusQuery, signal?: AbortSignal): Promise<RefundStatusResult>;
}

/** True for results that say something about the gateway's health (technical failures and unknown outcomes). */
export function isTechnicalFailure(result: ChargeResult): result is ChargeTechnicalFailure | ChargeUnknownOutcome {
  return result.outcome === 'TECHNICAL_FAILURE' || result.outcome === 'UNKNOWN';
}
