import type { GatewayType } from '../ports/gateway-type';

/**
 * Where a refund stands.
 * - `PENDING`: recorded (its amount reserved against what is refundable) before the gateway is
 *   asked, or accepted by a gateway that confirms later.
 * - `SUCCEEDED`: the money went back.
 * - `REJECTED`: the gateway refused it for good (nothing left to refund there, refund window closed).
 * - `FAILED`: the gateway never processed it (it failed before deciding, or never received it);
 *   nothing was refunded and the same refund may be asked for again.
 */
export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'REJECTED' | 'FAILED';

/** A refund of (part of) a captured payment. */
export interface Refund {
  /** `re_…` */
  readonly id: string;
  /** Minor units, in the payment's currency. */
  readonly amount: number;
  readonly status: RefundStatus;
  /** The merchant's idempotency key for this refund, when given. */
  readonly idempotencyKey: string | null;
  /** The idempotency reference sent to the gateway, when a gateway was asked. */
  readonly reference: string | null;
  /** The gateway asked to refund. */
  readonly gateway: GatewayType | null;
  /** The gateway's refund id, when the gateway returned one. */
  readonly gatewayReference: string | null;
  readonly reason: string | null;
  /** Why a `REJECTED` or `FAILED` refund did not go through (the gateway's code). */
  readonly failureCode: string | null;
  /** Epoch ms after which the gateway must not act on the refund request; `null` when none was sent. */
  readonly deadline: number | null;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  /** When it stopped being `PENDING`, ISO-8601 UTC. */
  readonly settledAt: string | null;
}

/** A refund to record as `PENDING` before the gateway is asked (see `Payment.requestRefund`). */
export interface RequestRefundInput {
  /** Minor units; defaults to everything still refundable. */
  readonly amount?: number;
  readonly idempotencyKey?: string;
  readonly reason?: string;
  /** The gateway that will be asked: the one that captured the payment, unless given. */
  readonly gateway?: GatewayType;
  /** Builds the gateway idempotency reference from the new refund's id (defaults to `<paymentId>:<refundId>`). */
  readonly reference?: (refundId: string) => string;
  /** Epoch ms after which the gateway must not act on the request. */
  readonly deadline?: number;
}

/** What became of a `PENDING` refund. */
export type SettleRefundInput =
  | { readonly outcome: 'SUCCEEDED'; readonly gatewayReference?: string }
  | { readonly outcome: 'REJECTED' | 'FAILED'; readonly code: string };
