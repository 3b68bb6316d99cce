import type { DeclineType } from '../ports/payment-gateway.port';
import type { GatewayType } from '../ports/gateway-type';

/** How one gateway attempt ended. */
export type AttemptOutcome = 'APPROVED' | 'DECLINED' | 'TECHNICAL_FAILURE' | 'UNKNOWN';

/** One call to a gateway on behalf of a payment. */
export interface GatewayAttempt {
  /** 1 for the first attempt of the payment, then 2, 3, … */
  readonly attemptNumber: number;
  readonly gateway: GatewayType;
  /** The idempotency reference sent to the gateway (scoped to payment and attempt). */
  readonly reference: string;
  readonly outcome: AttemptOutcome;
  /** The gateway's charge id, for an approved attempt. */
  readonly gatewayReference: string | null;
  /** Decline code, for a declined attempt. */
  readonly declineCode: string | null;
  readonly declineType: DeclineType | null;
  /** Error code, for a technical failure or an unknown outcome. */
  readonly errorCode: string | null;
  /** Time the gateway took, in milliseconds. */
  readonly latencyMs: number;
  /** When the attempt ended, ISO-8601 UTC. */
  readonly at: string;
}

/** What a caller records about an attempt; the aggregate numbers and timestamps it. */
export interface RecordAttemptInput {
  readonly gateway: GatewayType;
  readonly reference: string;
  readonly outcome: AttemptOutcome;
  readonly latencyMs: number;
  readonly gatewayReference?: string;
  readonly declineCode?: string;
  readonly declineType?: DeclineType;
  readonly errorCode?: string;
}
