import {
  isLiveAttempt,
  type ChargeRequest,
  type ChargeStatusResult,
  type DeclineType,
  type GatewayAttempt,
  type Money,
  type NextAction,
  type Payment,
  type SettleAttemptInput,
} from '@aegispay/domain';
import type { DecidedChargeResult } from '@aegispay/routing';

/**
 * What became of one gateway attempt, as the orchestrator records it: the pipeline learns it from
 * the call (and status checks), recovery and webhooks from the gateway's status. One vocabulary for
 * all three, applied to the payment by one function ({@link applySettlement}).
 */
export type Settlement =
  | { readonly outcome: 'APPROVED'; readonly gatewayReference: string; readonly fee?: Money }
  | { readonly outcome: 'DECLINED'; readonly declineCode: string; readonly declineType: DeclineType; readonly message?: string }
  | { readonly outcome: 'REQUIRES_ACTION'; readonly gatewayReference: string; readonly action: NextAction | null }
  | { readonly outcome: 'PENDING'; readonly gatewayReference: string | null }
  | { readonly outcome: 'TECHNICAL_FAILURE'; readonly errorCode: string; readonly retryable: boolean; readonly message?: string }
  /** The request never reached the gateway (refused before sending, or `NOT_FOUND` past its deadline). */
  | { readonly outcome: 'NOT_SENT'; readonly errorCode: string; readonly reason: string }
  | { readonly outcome: 'UNKNOWN'; readonly errorCode: string; readonly reason: string };

/** The charge request an attempt stands for: what was (or will be) sent, rebuilt identically from the payment at any time. */
export function chargeRequestOf(payment: Payment, attempt: Pick<GatewayAttempt, 'reference' | 'deadline'>): ChargeRequest {
  return {
    reference: attempt.reference,
    paymentId: payment.id,
    merchantId: payment.merchantId,
    amount: payment.money,
    paymentMethod: payment.paymentMethod,
    ...(payment.customerId === null ? {} : { customerId: payment.customerId }),
    metadata: payment.metadata,
    ...(attempt.deadline === null ? {} : { deadline: attempt.deadline }),
  };
}

/**
 * Reads a gateway's status answer. `NOT_FOUND` means nothing was charged — a technical failure of
 * the attempt (the request never reached the gateway) — only when `conclusive` (the request's
 * deadline and the allowed clock skew are past, so it can no longer land); otherwise, and for
 * `UNKNOWN`, the outcome is still unknown.
 */
export function settlementFromStatus(status: ChargeStatusResult, unknownCode: string, conclusive: boolean): Settlement {
  switch (status.status) {
    case 'APPROVED':
      return status.fee === undefined
        ? { outcome: 'APPROVED', gatewayReference: status.gatewayReference }
        : { outcome: 'APPROVED', gatewayReference: status.gatewayReference, fee: status.fee };
    case 'DECLINED':
      return { outcome: 'DECLINED', declineCode: status.declineCode, declineType: status.declineType };
    case 'REQUIRES_ACTION':
      return { outcome: 'REQUIRES_ACTION', gatewayReference: status.gatewayReference, action: status.action ?? null };
    case 'PENDING':
      return { outcome: 'PENDING', gatewayReference: status.gatewayReference ?? null };
    case 'NOT_FOUND':
      return conclusive
        ? { outcome: 'TECHNICAL_FAILURE', errorCode: unknownCode, retryable: true, message: 'the request never reached the gateway' }
        : { outcome: 'UNKNOWN', errorCode: unknownCode, reason: 'the gateway has not seen the request yet, and it may still arrive' };
    case 'UNKNOWN':
      return { outcome: 'UNKNOWN', errorCode: unknownCode, reason: status.reason };
  }
}

/** True when the settlement leaves the charge possibly alive at the gateway (no other attempt may start). */
export function isLiveSettlement(settlement: Settlement): boolean {
  return settlement.outcome === 'UNKNOWN' || settlement.outcome === 'PENDING' || settlement.outcome === 'REQUIRES_ACTION';
}

/** The result to feed routing metrics, for a settlement that says something about the gateway (not a refusal, not a wait). */
export function metricsResultOf(settlement: Settlement): DecidedChargeResult | null {
  switch (settlement.outcome) {
    case 'APPROVED':
      return settlement.fee === undefined
        ? { outcome: 'APPROVED', gatewayReference: settlement.gatewayReference }
        : { outcome: 'APPROVED', gatewayReference: settlement.gatewayReference, fee: settlement.fee };
    case 'DECLINED':
      return { outcome: 'DECLINED', declineCode: settlement.declineCode, declineType: settlement.declineType };
    case 'TECHNICAL_FAILURE':
      return { outcome: 'TECHNICAL_FAILURE', errorCode: settlement.errorCode, retryable: settlement.retryable };
    case 'UNKNOWN':
      return { outcome: 'UNKNOWN', reason: settlement.errorCode };
    case 'NOT_SENT':
    case 'PENDING':
    case 'REQUIRES_ACTION':
      return null;
  }
}

/** How a settlement ends the payment, when it does. */
export interface SettlementEnding {
  /** A decline ends the payment (the pipeline may instead fail over after a soft one). */
  readonly declineEnds: boolean;
  /** When nothing was charged (a technical failure, a request not sent) and nothing else will be tried: the payment's failure. */
  readonly nothingCharged?: { readonly code: string; readonly reason: string };
  /** Appended to the failure reason of a decline (`(outcome recovered)`). */
  readonly note?: string;
}

/**
 * Applies what became of `attempt` to `payment`: settles the attempt and moves the payment where the
 * settlement takes it — `PAID` on approval, `FAILED` on a decline that ends it, `REQUIRES_ACTION`
 * while the customer acts, and `FAILED` when nothing was charged and `ending.nothingCharged` says so. A
 * payment awaiting the customer resumes processing first. Other settlements only settle the attempt.
 */
export function applySettlement(payment: Payment, attempt: GatewayAttempt, settlement: Settlement, latencyMs: number, ending: SettlementEnding): void {
  if (payment.status === 'REQUIRES_ACTION' && settlement.outcome !== 'REQUIRES_ACTION') payment.startProcessing();
  const stored = payment.attempts.find((candidate) => candidate.reference === attempt.reference);
  // A settlement heard again (a status still unknown, a repeated webhook) changes nothing.
  if (stored !== undefined && isLiveAttempt(stored) && stored.outcome !== settlement.outcome) {
    payment.settleAttempt(attempt.reference, attemptSettlement(settlement, latencyMs));
  }
  switch (settlement.outcome) {
    case 'APPROVED':
      payment.markSucceeded({ gateway: attempt.gateway, gatewayReference: settlement.gatewayReference });
      return;
    case 'DECLINED':
      if (!ending.declineEnds) return;
      payment.markFailed({
        code: settlement.declineCode,
        reason: `${settlement.message ?? `${settlement.declineType.toLowerCase()} decline`}${ending.note === undefined ? '' : ` ${ending.note}`}`,
        gateway: attempt.gateway,
      });
      return;
    case 'REQUIRES_ACTION':
      if (payment.status === 'PROCESSING') payment.requireAction(`${attempt.gateway} needs the customer to act`, settlement.action ?? undefined);
      return;
    case 'NOT_SENT':
    case 'TECHNICAL_FAILURE':
      if (ending.nothingCharged !== undefined) payment.markFailed({ code: ending.nothingCharged.code, reason: ending.nothingCharged.reason });
      return;
    case 'PENDING':
    case 'UNKNOWN':
      return;
  }
}

function attemptSettlement(settlement: Settlement, latencyMs: number): SettleAttemptInput {
  const base = { latencyMs: Math.max(0, latencyMs) };
  switch (settlement.outcome) {
    case 'APPROVED':
      return { ...base, outcome: 'APPROVED', gatewayReference: settlement.gatewayReference };
    case 'DECLINED':
      return { ...base, outcome: 'DECLINED', declineCode: settlement.declineCode, declineType: settlement.declineType };
    case 'REQUIRES_ACTION':
      return { ...base, outcome: 'REQUIRES_ACTION', gatewayReference: settlement.gatewayReference };
    case 'PENDING':
      return settlement.gatewayReference === null ? { ...base, outcome: 'PENDING' } : { ...base, outcome: 'PENDING', gatewayReference: settlement.gatewayReference };
    case 'TECHNICAL_FAILURE':
      return { ...base, outcome: 'TECHNICAL_FAILURE', errorCode: settlement.errorCode };
    case 'NOT_SENT':
      return { ...base, outcome: 'NOT_SENT', errorCode: settlement.errorCode };
    case 'UNKNOWN':
      return { ...base, outcome: 'UNKNOWN', errorCode: settlement.errorCode };
  }
}
