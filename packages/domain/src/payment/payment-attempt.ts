import type { DeclineType } from '../ports/payment-gateway.port';
import type { GatewayType } from '../ports/gateway-type';

/**
 * Where one gateway attempt stands.
 *
 * - `IN_FLIGHT`: recorded before the request is sent; what happened is not known yet.
 * - `APPROVED`, `DECLINED`: the gateway decided.
 * - `REQUIRES_ACTION`: the gateway holds the charge until the customer acts (3-D Secure…).
 * - `PENDING`: the gateway holds the charge and decides later.
 * - `TECHNICAL_FAILURE`: the gateway answered that it failed before deciding; nothing was charged.
 * - `NOT_SENT`: the request never left (a breaker, a refused connection); nothing was charged.
 * - `UNKNOWN`: the request may have reached the gateway and nobody knows what it did.
 */
export type AttemptOutcome = 'IN_FLIGHT' | 'APPROVED' | 'DECLINED' | 'REQUIRES_ACTION' | 'PENDING' | 'TECHNICAL_FAILURE' | 'NOT_SENT' | 'UNKNOWN';

/**
 * The outcomes of an attempt whose charge may exist or still come to exist at its gateway. While a
 * payment has such an attempt, no other attempt may start: that is what keeps a customer from being
 * charged twice.
 */
export const LIVE_ATTEMPT_OUTCOMES: readonly AttemptOutcome[] = Object.freeze(['IN_FLIGHT', 'REQUIRES_ACTION', 'PENDING', 'UNKNOWN']);

/** True for the outcomes of {@link LIVE_ATTEMPT_OUTCOMES}. */
export function isLiveAttempt(attempt: { readonly outcome: AttemptOutcome }): boolean {
  return LIVE_ATTEMPT_OUTCOMES.includes(attempt.outcome);
}

/** One call to a gateway on behalf of a payment. */
export interface GatewayAttempt {
  /** 1 for the first attempt of the payment, then 2, 3, … */
  readonly attemptNumber: number;
  readonly gateway: GatewayType;
  /** The idempotency reference sent to the gateway (scoped to payment and attempt). */
  readonly reference: string;
  readonly outcome: AttemptOutcome;
  /** The gateway's charge id, once the gateway gave one. */
  readonly gatewayReference: string | null;
  /** Decline code, for a declined attempt. */
  readonly declineCode: string | null;
  readonly declineType: DeclineType | null;
  /** Error code, for a technical failure, a request not sent or an unknown outcome. */
  readonly errorCode: string | null;
  /** Time the gateway took, in milliseconds (0 until the attempt is settled). */
  readonly latencyMs: number;
  /**
   * Epoch ms after which the gateway must not act on the request (sent with it); `null` for
   * attempts recorded only after the fact.
   */
  readonly deadline: number | null;
  /** When the attempt was recorded or last settled, ISO-8601 UTC. */
  readonly at: string;
}

/** What a caller records about a finished attempt; the aggregate numbers and timestamps it. */
export interface RecordAttemptInput {
  readonly gateway: GatewayType;
  readonly reference: string;
  readonly outcome: Exclude<AttemptOutcome, 'IN_FLIGHT'>;
  readonly latencyMs: number;
  readonly gatewayReference?: string;
  readonly declineCode?: string;
  readonly declineType?: DeclineType;
  readonly errorCode?: string;
  readonly deadline?: number;
}

/** An attempt about to be sent: recorded, durably, before the request leaves. */
export interface BeginAttemptInput {
  readonly gateway: GatewayType;
  readonly reference: string;
  /** Epoch ms after which the gateway must not act on the request. */
  readonly deadline: number;
}

/** What became of an attempt (see {@link AttemptOutcome}). */
export interface SettleAttemptInput {
  readonly outcome: Exclude<AttemptOutcome, 'IN_FLIGHT'>;
  readonly latencyMs: number;
  readonly gatewayReference?: string;
  readonly declineCode?: string;
  readonly declineType?: DeclineType;
  readonly errorCode?: string;
}
