import {
  type ChargeStatusResult,
  type Clock,
  type GatewayAttempt,
  type GatewayType,
  type Payment,
  type PaymentGateway,
} from '@aegispay/domain';
import type { TimeoutPolicy } from '@aegispay/resilience';
import { applySettlement, chargeRequestOf, settlementFromStatus, type Settlement } from '../attempt/settlement';
import { resultOf, type ResultFacts, type StoredPaymentResult } from '../payment/payment-result';
import type { CallSession } from '../support/call-session';
import type { PaymentWriter } from '../support/payment-writer';

/** A payment recovery found charged more than once (which the pipeline is built never to do). */
export interface DoubleChargeFinding {
  readonly paymentId: string;
  readonly charges: readonly { readonly gateway: GatewayType; readonly reference: string; readonly gatewayReference: string }[];
}

/** What resolving one payment came to. */
export type Resolution =
  | { readonly kind: 'RESOLVED'; readonly result: StoredPaymentResult; readonly doubleCharge: DoubleChargeFinding | null }
  /** A gateway could not say yet (or the customer has not acted): ask again next run. */
  | { readonly kind: 'UNRESOLVED'; readonly doubleCharge: DoubleChargeFinding | null }
  /** Someone else settled the payment meanwhile. */
  | { readonly kind: 'ALREADY_RESOLVED' };

/** What {@link StuckPaymentResolver} works with. */
export interface StuckPaymentResolverDependencies {
  readonly gateways: ReadonlyMap<GatewayType, PaymentGateway>;
  readonly writer: PaymentWriter;
  readonly clock: Clock;
  /** Deadline of each status lookup. */
  readonly deadline: TimeoutPolicy;
  /** How far a gateway's clock may run behind ours: a `NOT_FOUND` is trusted only this long past a request's deadline. */
  readonly clockSkewMs: number;
}

interface Probe {
  readonly gateway: GatewayType;
  readonly attempt: GatewayAttempt | null;
  readonly reference: string;
}

const SESSION: CallSession = Object.freeze({ requestId: 'recovery', signal: undefined, context: undefined });

/** Thrown inside an update to leave a payment that someone else resolved meanwhile untouched. */
class AlreadyResolved extends Error {}

/**
 * Settles a payment left `PROCESSING` (or awaiting the customer) from the gateways themselves.
 *
 * The pipeline records every attempt `IN_FLIGHT` before sending it, so a stuck payment names the
 * one attempt that may have charged: it is looked up at its gateway with the request as sent (a
 * gateway without lookup by reference may replay it under its idempotency key — the attempt was
 * meant to be made there, and never twice). A charge found → `PAID`; a decline → `FAILED` with its
 * code; "never received" past the deadline (plus skew) → `FAILED`, `INTERRUPTED`; a gateway that
 * cannot say → left for the next run. Recovery never starts an attempt.
 *
 * A payment stored before attempts were recorded ahead of sending has no such attempt: the one
 * reference that may have gone unrecorded (`<paymentId>:<attempts + 1>`) is then looked up on every
 * gateway, by reference only (nothing is replayed), and two charges found are reported.
 */
export class StuckPaymentResolver {
  constructor(private readonly deps: StuckPaymentResolverDependencies) {}

  async resolve(payment: Payment): Promise<Resolution> {
    const probes = this.probesFor(payment);
    const answers = await Promise.all(probes.map(async (probe) => ({ probe, status: await this.statusOf(payment, probe) })));
    const approvals = answers.filter((answer) => answer.status.status === 'APPROVED');
    const doubleCharge = approvals.length > 1 ? doubleChargeOf(payment, approvals) : null;
    const decided = approvals[0] ?? answers.find((answer) => answer.status.status === 'DECLINED' || answer.status.status === 'REQUIRES_ACTION');
    if (decided === undefined && answers.some((answer) => answer.status.status !== 'NOT_FOUND')) return { kind: 'UNRESOLVED', doubleCharge };

    const decidedAnswer = decided ?? answers.find((answer) => answer.probe.attempt !== null);
    const probe = decidedAnswer?.probe;
    const settlement: Settlement =
      decidedAnswer === undefined ? { outcome: 'NOT_SENT', errorCode: 'INTERRUPTED', reason: 'never received' } : settlementFromStatus(decidedAnswer.status, 'UNKNOWN_OUTCOME', true);
    if (settlement.outcome === 'UNKNOWN' || settlement.outcome === 'PENDING') return { kind: 'UNRESOLVED', doubleCharge };
    if (settlement.outcome === 'REQUIRES_ACTION' && payment.status === 'REQUIRES_ACTION') return { kind: 'UNRESOLVED', doubleCharge };

    let facts: ResultFacts | undefined;
    let reason = '';
    try {
      const saved = await this.deps.writer.update(payment.id, SESSION, (current) => {
        if (current.status !== 'PROCESSING' && current.status !== 'REQUIRES_ACTION') throw new AlreadyResolved();
        const attempt = probe === undefined ? null : this.attemptFor(current, probe);
        ({ facts, reason } = conclude(current, attempt, settlement));
      });
      return { kind: 'RESOLVED', result: resultOf(saved, facts as ResultFacts, reason), doubleCharge };
    } catch (error) {
      if (error instanceof AlreadyResolved) return { kind: 'ALREADY_RESOLVED' };
      throw error;
    }
  }

  /** The live attempt; or, for a payment stored before attempts were recorded ahead of sending, the reference that may be unrecorded, on every gateway. */
  private probesFor(payment: Payment): Probe[] {
    const live = payment.liveAttempt;
    if (live !== undefined) return [{ gateway: live.gateway, attempt: live, reference: live.reference }];
    const reference = `${payment.id}:${payment.attempts.length + 1}`;
    return [...this.deps.gateways.keys()].map((gateway) => ({ gateway, attempt: null, reference }));
  }

  /** The attempt a probe stands for in `payment`: its live attempt, or a new one recorded from what the gateway said. */
  private attemptFor(payment: Payment, probe: Probe): GatewayAttempt {
    if (probe.attempt !== null) return payment.attempts.find((attempt) => attempt.reference === probe.reference) ?? probe.attempt;
    return payment.beginAttempt({ gateway: probe.gateway, reference: probe.reference, deadline: this.deps.clock.now() });
  }

  private async statusOf(payment: Payment, probe: Probe): Promise<ChargeStatusResult> {
    const gateway = this.deps.gateways.get(probe.gateway);
    // An attempt on a gateway recovery was not given answers UNKNOWN: the payment stays unresolved
    // rather than being failed while that gateway may have charged it.
    if (gateway === undefined) return { status: 'UNKNOWN', reason: `no gateway named "${probe.gateway}" was given to recovery` };
    const query =
      probe.attempt === null
        ? { reference: probe.reference }
        : { reference: probe.reference, request: chargeRequestOf(payment, probe.attempt), ...(probe.attempt.gatewayReference === null ? {} : { gatewayReference: probe.attempt.gatewayReference }) };
    let status: ChargeStatusResult;
    try {
      status = await this.deps.deadline.execute(({ signal }) => gateway.getStatus(query, signal));
    } catch (error) {
      return { status: 'UNKNOWN', reason: error instanceof Error ? error.message : String(error) };
    }
    // "Never received" is conclusive only once the request can no longer land.
    const deadline = probe.attempt?.deadline ?? null;
    if (status.status === 'NOT_FOUND' && deadline !== null && this.deps.clock.now() <= deadline + this.deps.clockSkewMs) {
      return { status: 'UNKNOWN', reason: 'the request may still reach the gateway' };
    }
    return status;
  }
}

/** Applies the settlement a stuck payment was resolved with, and says what its answer is. */
function conclude(payment: Payment, attempt: GatewayAttempt | null, settlement: Settlement): { facts: ResultFacts; reason: string } {
  const interrupted = { code: 'INTERRUPTED', reason: 'Processing was interrupted before any gateway charged the payment.' };
  if (attempt !== null) applySettlement(payment, attempt, settlement, attempt.latencyMs, { declineEnds: true, nothingCharged: interrupted, note: '(outcome recovered)' });
  else payment.markFailed(interrupted);
  switch (settlement.outcome) {
    case 'APPROVED':
      return { facts: { outcome: 'SUCCEEDED', gateway: (attempt as GatewayAttempt).gateway }, reason: `Approved by ${(attempt as GatewayAttempt).gateway} (outcome recovered).` };
    case 'DECLINED':
      return {
        facts: { outcome: 'DECLINED', gateway: (attempt as GatewayAttempt).gateway, code: settlement.declineCode, declineType: settlement.declineType },
        reason: payment.failureReason ?? settlement.declineCode,
      };
    case 'REQUIRES_ACTION':
      return { facts: { outcome: 'REQUIRES_ACTION', gateway: (attempt as GatewayAttempt).gateway, action: settlement.action }, reason: 'The gateway waits for the customer (outcome recovered).' };
    default:
      return { facts: { outcome: 'FAILED', gateway: null, code: interrupted.code }, reason: interrupted.reason };
  }
}

function doubleChargeOf(payment: Payment, approvals: readonly { readonly probe: Probe; readonly status: ChargeStatusResult }[]): DoubleChargeFinding {
  return {
    paymentId: payment.id,
    charges: approvals.map(({ probe, status }) => ({
      gateway: probe.gateway,
      reference: probe.reference,
      gatewayReference: status.status === 'APPROVED' ? status.gatewayReference : '',
    })),
  };
}
