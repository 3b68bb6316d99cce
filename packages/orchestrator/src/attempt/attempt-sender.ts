import type { Clock, GatewayAttempt, GatewayType, Payment, PaymentGateway } from '@aegispay/domain';
import type { CircuitBreakerManager, TimeoutPolicy } from '@aegispay/resilience';
import { chargeThroughBreaker, resolveChargeStatus } from './gateway-call';
import { chargeRequestOf, settlementFromStatus, type Settlement } from './settlement';

/** What {@link AttemptSender} works with. */
export interface AttemptSenderDependencies {
  readonly gateways: ReadonlyMap<GatewayType, PaymentGateway>;
  readonly breakers: CircuitBreakerManager;
  readonly clock: Clock;
  /** Deadline of one charge. */
  readonly chargeDeadline: TimeoutPolicy;
  /** Deadline of one status check. */
  readonly statusDeadline: TimeoutPolicy;
  readonly statusCheck: {
    readonly attempts: number;
    readonly intervalMs: number;
    readonly clockSkewMs: number;
  };
}

/** What one attempt came to, how long the gateway took, and whether the request left (or may have). */
export interface SentAttempt {
  readonly settlement: Settlement;
  readonly latencyMs: number;
  readonly sent: boolean;
}

/**
 * The attempt protocol: sends an attempt that is recorded `IN_FLIGHT` (its reference and deadline
 * stored before this is called) through the gateway's breaker and deadline, and learns what became
 * of it. A charge whose answer was lost (an `UNKNOWN` result, the deadline, a connection dropped
 * after sending) is looked up at the same gateway with the request as sent, a few times; a
 * `NOT_FOUND` is trusted only once the request's deadline plus the allowed clock skew is past.
 */
export class AttemptSender {
  constructor(private readonly deps: AttemptSenderDependencies) {}

  async send(payment: Payment, attempt: GatewayAttempt, signal: AbortSignal | undefined): Promise<SentAttempt> {
    const gateway = this.deps.gateways.get(attempt.gateway) as PaymentGateway;
    const request = chargeRequestOf(payment, attempt);
    const call = await chargeThroughBreaker(gateway, this.deps.breakers.getBreaker(attempt.gateway), this.deps.chargeDeadline, request, this.deps.clock, signal);
    if (call.kind === 'NOT_SENT') return { settlement: { outcome: 'NOT_SENT', errorCode: call.code, reason: call.reason }, latencyMs: call.latencyMs, sent: false };
    if (call.kind === 'ANSWERED') {
      const result = call.result;
      switch (result.outcome) {
        case 'APPROVED':
        case 'DECLINED':
        case 'TECHNICAL_FAILURE':
          return { settlement: result, latencyMs: call.latencyMs, sent: true };
        case 'REQUIRES_ACTION':
          return { settlement: { outcome: 'REQUIRES_ACTION', gatewayReference: result.gatewayReference, action: result.action }, latencyMs: call.latencyMs, sent: true };
        case 'PENDING':
          return { settlement: { outcome: 'PENDING', gatewayReference: result.gatewayReference ?? null }, latencyMs: call.latencyMs, sent: true };
        case 'UNKNOWN':
          break;
      }
    }
    const unknownCode = call.kind === 'MAYBE_SENT' ? call.code : 'UNKNOWN_OUTCOME';
    const conclusiveAfter = (attempt.deadline ?? this.deps.clock.now()) + this.deps.statusCheck.clockSkewMs;
    const status = await resolveChargeStatus(
      gateway,
      { reference: attempt.reference, request },
      { ...this.deps.statusCheck, deadline: this.deps.statusDeadline, clock: this.deps.clock, conclusiveAfter },
      signal,
    );
    return { settlement: settlementFromStatus(status, unknownCode, this.deps.clock.now() > conclusiveAfter), latencyMs: call.latencyMs, sent: true };
  }
}
