import { Money, type Clock, type GatewayType, type Payment, type PaymentGateway, type Refund, type RefundRequest, type RefundStatusResult } from '@aegispay/domain';
import type { CircuitBreakerManager, TimeoutPolicy } from '@aegispay/resilience';
import { callThroughBreaker, resolveStatus } from '../attempt/gateway-call';

/** What became of a refund at its gateway, as the orchestrator records it. */
export type RefundSettlement =
  | { readonly outcome: 'REFUNDED'; readonly gatewayReference: string | null }
  /** The gateway took the refund and confirms it later (webhook or lookup). */
  | { readonly outcome: 'ACCEPTED'; readonly gatewayReference: string | null }
  | { readonly outcome: 'REJECTED'; readonly code: string; readonly message?: string }
  /** The gateway never processed it: it failed before deciding, never left, or never arrived. */
  | { readonly outcome: 'NOT_PROCESSED'; readonly code: string; readonly message: string }
  | { readonly outcome: 'UNKNOWN'; readonly code: string; readonly reason: string };

/** What {@link RefundSender} works with. */
export interface RefundSenderDependencies {
  readonly gateways: ReadonlyMap<GatewayType, PaymentGateway>;
  readonly breakers: CircuitBreakerManager;
  readonly clock: Clock;
  readonly callDeadline: TimeoutPolicy;
  readonly statusDeadline: TimeoutPolicy;
  readonly statusCheck: { readonly attempts: number; readonly intervalMs: number; readonly clockSkewMs: number };
}

/** The refund request a stored refund stands for: what was (or will be) sent, rebuilt identically at any time. */
export function refundRequestOf(payment: Payment, refund: Refund): RefundRequest {
  return {
    reference: refund.reference ?? `${payment.id}:${refund.id}`,
    chargeReference: payment.gatewayReference ?? '',
    paymentId: payment.id,
    amount: Money.of(refund.amount, payment.currency),
    ...(refund.reason === null ? {} : { reason: refund.reason }),
    ...(refund.deadline === null ? {} : { deadline: refund.deadline }),
  };
}

/**
 * The refund protocol: sends a refund recorded `PENDING` through the gateway's breaker and
 * deadline, and, when its answer was lost, looks it up at the same gateway (a `NOT_FOUND` trusted
 * only past the request's deadline plus the allowed clock skew).
 */
export class RefundSender {
  constructor(private readonly deps: RefundSenderDependencies) {}

  async send(payment: Payment, refund: Refund, gateway: PaymentGateway, signal?: AbortSignal): Promise<RefundSettlement> {
    const request = refundRequestOf(payment, refund);
    const guard = { breaker: this.deps.breakers.getBreaker(gateway.name), deadline: this.deps.callDeadline, clock: this.deps.clock };
    const call = await callThroughBreaker((inner) => gateway.refund(request, inner), guard, signal);
    if (call.kind === 'NOT_SENT') return { outcome: 'NOT_PROCESSED', code: call.code, message: call.reason };
    if (call.kind === 'ANSWERED') {
      const result = call.result;
      switch (result.outcome) {
        case 'REFUNDED':
          return { outcome: 'REFUNDED', gatewayReference: result.gatewayReference };
        case 'PENDING':
          return { outcome: 'ACCEPTED', gatewayReference: result.gatewayReference ?? null };
        case 'REJECTED':
          return result.message === undefined ? { outcome: 'REJECTED', code: result.code } : { outcome: 'REJECTED', code: result.code, message: result.message };
        case 'TECHNICAL_FAILURE':
          return { outcome: 'NOT_PROCESSED', code: result.errorCode, message: result.message ?? `${gateway.name} failed with ${result.errorCode}` };
        case 'UNKNOWN':
          break;
      }
    }
    return this.lookup(payment, refund, gateway, call.kind === 'MAYBE_SENT' ? call.code : 'UNKNOWN_OUTCOME', signal);
  }

  /** What the gateway says became of the refund; `unknownCode` names why it is still unknown if it cannot say. */
  async lookup(payment: Payment, refund: Refund, gateway: PaymentGateway, unknownCode = 'UNKNOWN_OUTCOME', signal?: AbortSignal): Promise<RefundSettlement> {
    const request = refundRequestOf(payment, refund);
    const conclusiveAfter = (refund.deadline ?? this.deps.clock.now()) + this.deps.statusCheck.clockSkewMs;
    const query = { reference: request.reference, request, ...(refund.gatewayReference === null ? {} : { gatewayReference: refund.gatewayReference }) };
    const status = await resolveStatus(
      (inner) => gateway.getRefundStatus(query, inner),
      { ...this.deps.statusCheck, deadline: this.deps.statusDeadline, clock: this.deps.clock, conclusiveAfter },
      signal,
    );
    return refundSettlementFromStatus(status, unknownCode, this.deps.clock.now() > conclusiveAfter);
  }
}

/**
 * Reads a gateway's refund status (from a lookup or a webhook). `NOT_FOUND` means nothing was
 * refunded only when `conclusive` (the request can no longer land); otherwise, and for `UNKNOWN`,
 * the outcome is still unknown, named `unknownCode`.
 */
export function refundSettlementFromStatus(status: RefundStatusResult, unknownCode: string, conclusive: boolean): RefundSettlement {
  switch (status.status) {
    case 'REFUNDED':
      return { outcome: 'REFUNDED', gatewayReference: status.gatewayReference };
    case 'PENDING':
      return { outcome: 'ACCEPTED', gatewayReference: status.gatewayReference ?? null };
    case 'REJECTED':
      return status.message === undefined ? { outcome: 'REJECTED', code: status.code } : { outcome: 'REJECTED', code: status.code, message: status.message };
    case 'NOT_FOUND':
      return conclusive
        ? { outcome: 'NOT_PROCESSED', code: unknownCode, message: 'the refund never reached the gateway' }
        : { outcome: 'UNKNOWN', code: unknownCode, reason: 'the gateway has not seen the refund yet, and it may still arrive' };
    case 'UNKNOWN':
      return { outcome: 'UNKNOWN', code: unknownCode, reason: status.reason };
  }
}
