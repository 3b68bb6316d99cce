import type { GatewayType, MetadataValue, NextAction, PaymentMethodType, PaymentSnapshot, PaymentStatus, Refund, RefundStatus } from '@aegispay/domain';
import type { RefundPaymentResult, StoredPaymentResult } from '@aegispay/orchestrator';

/**
 * A payment as the API shows it. Money is in integer minor units of `currency`; the payment
 * method token is never shown, only its last four characters (and only when it is long enough
 * for those to reveal little).
 */
export interface PaymentView {
  readonly id: string;
  readonly merchantId: string;
  readonly status: PaymentStatus;
  readonly amount: number;
  readonly currency: string;
  /** Refunds that went through. */
  readonly refundedAmount: number;
  /** Refunds asked for and not confirmed yet: reserved, not refundable again. */
  readonly pendingRefundAmount: number;
  /** What can still be refunded: the captured amount minus refunds, pending ones included (0 until `PAID`). */
  readonly refundableAmount: number;
  readonly paymentMethod: { readonly type: PaymentMethodType; readonly tokenLast4: string | null };
  readonly customerId: string | null;
  readonly description: string | null;
  readonly idempotencyKey: string | null;
  readonly metadata: Readonly<Record<string, MetadataValue>>;
  /** The gateway that captured the payment. */
  readonly gateway: GatewayType | null;
  readonly gatewayReference: string | null;
  readonly failure: { readonly code: string | null; readonly reason: string | null } | null;
  /** What the customer must do, while `REQUIRES_ACTION`. */
  readonly nextAction: NextAction | null;
  readonly attempts: readonly AttemptView[];
  readonly refunds: readonly RefundView[];
  /** Increases with every stored change. */
  readonly version: number;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One gateway call made for a payment. */
export interface AttemptView {
  readonly attemptNumber: number;
  readonly gateway: GatewayType;
  readonly outcome: string;
  readonly declineCode: string | null;
  readonly declineType: string | null;
  readonly errorCode: string | null;
  readonly latencyMs: number;
  readonly at: string;
}

/** A refund of (part of) a payment. */
export interface RefundView {
  readonly id: string;
  readonly amount: number;
  readonly currency: string;
  /** `PENDING` (asked, not confirmed), `SUCCEEDED`, `REJECTED` (refused for good) or `FAILED` (never processed). */
  readonly status: RefundStatus;
  readonly failureCode: string | null;
  readonly reason: string | null;
  readonly gatewayReference: string | null;
  readonly createdAt: string;
}

/** The body of `GET /v1/payments`: one page of the merchant's payments, newest first. */
export interface PaymentListBody {
  readonly data: readonly PaymentView[];
  /** Whether another page follows. */
  readonly hasMore: boolean;
  /** The `cursor` of the next page; `null` on the last one. */
  readonly nextCursor: string | null;
}

/** The body of `GET /v1/payments/:id/refunds`: every refund of the payment, in the order asked. */
export interface RefundListBody {
  readonly data: readonly RefundView[];
}

/** The body of a `POST /v1/payments` answer. */
export interface PaymentResponseBody {
  /** How the request ended: `SUCCEEDED`, `DECLINED`, `FAILED`, `REJECTED`, `REQUIRES_ACTION`, `PENDING` or `PENDING_RECOVERY`. */
  readonly outcome: StoredPaymentResult['outcome'];
  /** Decline or failure code (`insufficient_funds`, `ALL_GATEWAYS_FAILED`…), `null` when there is none. */
  readonly code: string | null;
  /** A sentence a person can read. */
  readonly reason: string;
  /** What the customer must do (`REQUIRES_ACTION` only). */
  readonly action?: NextAction | null;
  readonly payment: PaymentView;
}

/** The body of a `POST /v1/payments/:id/refunds` answer. */
export interface RefundResponseBody {
  /** `REFUNDED`, or `PENDING` while the gateway has not confirmed it. */
  readonly outcome: RefundPaymentResult['outcome'];
  readonly reason: string;
  readonly refund: RefundView;
  readonly payment: PaymentView;
}

const CAPTURED: readonly PaymentStatus[] = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/** The API view of a stored payment. */
export function paymentView(payment: PaymentSnapshot): PaymentView {
  const refunded = refundTotal(payment.refunds, 'SUCCEEDED');
  const pending = refundTotal(payment.refunds, 'PENDING');
  const captured = CAPTURED.includes(payment.status) ? payment.amount : 0;
  return {
    id: payment.id,
    merchantId: payment.merchantId,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    refundedAmount: refunded,
    pendingRefundAmount: pending,
    refundableAmount: Math.max(0, captured - refunded - pending),
    paymentMethod: { type: payment.paymentMethod.type, tokenLast4: tokenLast4(payment.paymentMethod.token) },
    customerId: payment.customerId,
    description: payment.description,
    idempotencyKey: payment.idempotencyKey,
    metadata: { ...payment.metadata },
    gateway: payment.gateway,
    gatewayReference: payment.gatewayReference,
    failure: payment.failureCode === null && payment.failureReason === null ? null : { code: payment.failureCode, reason: payment.failureReason },
    nextAction: payment.nextAction,
    attempts: payment.attempts.map((attempt) => ({
      attemptNumber: attempt.attemptNumber,
      gateway: attempt.gateway,
      outcome: attempt.outcome,
      declineCode: attempt.declineCode,
      declineType: attempt.declineType,
      errorCode: attempt.errorCode,
      latencyMs: attempt.latencyMs,
      at: attempt.at,
    })),
    refunds: payment.refunds.map((refund) => refundView(refund, payment.currency)),
    version: payment.version,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
  };
}

/** The body answering a payment request (`IN_PROGRESS` has no body: it is a 409 problem). */
export function paymentResponseBody(result: StoredPaymentResult): PaymentResponseBody {
  const code = 'code' in result ? result.code : null;
  const base = { outcome: result.outcome, code, reason: result.reason, payment: paymentView(result.payment) };
  return result.outcome === 'REQUIRES_ACTION' ? { ...base, action: result.action } : base;
}

/** The body answering a refund request. */
export function refundResponseBody(result: RefundPaymentResult): RefundResponseBody {
  return { outcome: result.outcome, reason: result.reason, refund: refundView(result.refund, result.currency), payment: paymentView(result.payment) };
}

/**
 * The last four characters of a token of at least 12, else `null`: enough to tell two of a
 * customer's methods apart, too little to replay the token.
 */
export function tokenLast4(token: string): string | null {
  return token.length >= 12 ? token.slice(-4) : null;
}

/** The API view of one refund of a payment in `currency`. */
export function refundView(refund: Refund, currency: string): RefundView {
  return {
    id: refund.id,
    amount: refund.amount,
    currency,
    status: refund.status,
    failureCode: refund.failureCode,
    reason: refund.reason,
    gatewayReference: refund.gatewayReference,
    createdAt: refund.createdAt,
  };
}

function refundTotal(refunds: readonly Refund[], status: RefundStatus): number {
  let total = 0;
  for (const refund of refunds) if (refund.status === status) total += refund.amount;
  return total;
}
