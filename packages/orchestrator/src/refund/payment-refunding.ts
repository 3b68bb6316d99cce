import {
  PaymentNotFoundError,
  requireIdempotencyKey,
  type Clock,
  type GatewayType,
  type Payment,
  type PaymentGateway,
  type PaymentRepository,
  type Refund,
} from '@aegispay/domain';
import { RefundFailedError, RefundInProgressError, RefundKeyReuseError, RefundRejectedError, UnknownGatewayError } from '../errors/orchestrator.errors';
import type { CallSession } from '../support/call-session';
import { reportSafely, type OrchestratorErrorReporter } from '../support/orchestrator-error-reporter';
import type { PaymentWriter } from '../support/payment-writer';
import { refundResultOf, type RefundPaymentInput, type RefundPaymentResult } from './refund-result';
import type { RefundSender, RefundSettlement } from './refund-sender';

/** What {@link PaymentRefunding} works with. */
export interface PaymentRefundingDependencies {
  readonly repository: PaymentRepository;
  /** Writes with a conflict budget sized for many refunds racing on one payment. */
  readonly writer: PaymentWriter;
  readonly sender: RefundSender;
  readonly gateways: ReadonlyMap<GatewayType, PaymentGateway>;
  readonly clock: Clock;
  /** How long the gateway may act on a refund request: its deadline is this long after it is recorded. */
  readonly gatewayTimeoutMs: number;
  readonly onError: OrchestratorErrorReporter | undefined;
}

/**
 * The refund use case, with the discipline payments have:
 *
 * 1. The refund is recorded `PENDING` — its amount reserved against what is refundable, its
 *    gateway reference and deadline fixed — in one compare-and-swap write, **before** the gateway is
 *    asked. Our own accounting refuses an over-refund (`RefundExceedsCapturedError`), however many
 *    refunds race, since every reservation is checked against the others.
 * 2. The gateway's answer is applied after: `SUCCEEDED`, `REJECTED` (thrown as
 *    `RefundRejectedError`), `FAILED` when the gateway never processed it (thrown as a retryable
 *    `RefundFailedError`: the same key then asks again), or still `PENDING` when the gateway confirms
 *    later or its answer was lost. A write that cannot be made after the call never drops the
 *    answer: the refund stays `PENDING` and recovery settles it from the gateway.
 *
 * The idempotency key lives in the payment: the refund recorded with it is the key's record, guarded
 * by the payment's own compare-and-swap. A retry with the key is answered from that refund.
 */
export class PaymentRefunding {
  constructor(private readonly deps: PaymentRefundingDependencies) {}

  async refund(paymentId: string, input: RefundPaymentInput, session: CallSession): Promise<RefundPaymentResult> {
    const key = requireIdempotencyKey(input?.idempotencyKey);
    const payment = await this.load(paymentId, input.merchantId);
    const earlier = withKey(payment, key);
    if (earlier !== undefined) {
      assertSameRefund(payment, earlier, input);
      if (earlier.status !== 'FAILED') return this.answerAgain(payment, earlier, session);
    }
    let reserved: Refund | undefined;
    let saved: Payment;
    try {
      saved = await this.deps.writer.update(payment.id, session, (current) => {
        const first = withKey(current, key);
        // A request with this key recorded its refund first: write nothing, answer as its retry.
        if (first !== undefined && first.status !== 'FAILED') throw new KeyTaken(first);
        reserved = current.requestRefund({
          ...(input.amount === undefined ? {} : { amount: input.amount }),
          ...(input.reason === undefined ? {} : { reason: input.reason }),
          idempotencyKey: key,
          deadline: this.deps.clock.now() + this.deps.gatewayTimeoutMs,
        });
      });
    } catch (error) {
      if (!(error instanceof KeyTaken)) throw error;
      const current = await this.load(paymentId, input.merchantId);
      assertSameRefund(current, error.refund, input);
      return this.answerAgain(current, error.refund, session);
    }
    const refund = reserved as Refund;
    const settlement = await this.deps.sender.send(saved, refund, this.gatewayOf(refund), session.signal);
    return this.apply(saved, refund, settlement, session, false);
  }

  /** Applies what the gateway said about `refund` (recovery and webhooks call this too). */
  async apply(payment: Payment, refund: Refund, settlement: RefundSettlement, session: CallSession, replayed: boolean): Promise<RefundPaymentResult> {
    const nothingNew = settlement.outcome === 'UNKNOWN' || (settlement.outcome === 'ACCEPTED' && (settlement.gatewayReference === null || refund.gatewayReference !== null));
    if (nothingNew) return refundResultOf(payment, refund, replayed);
    let saved = payment;
    try {
      saved = await this.deps.writer.update(payment.id, session, (current) => settleOnce(current, refund.id, settlement));
    } catch (error) {
      if (error instanceof AlreadySettled) {
        // A racing settlement (recovery, a webhook, a retry) recorded the answer first: it stands.
        saved = (await this.deps.repository.findById(payment.id)) ?? payment;
      } else {
        // The answer is not lost: the refund stays PENDING and recovery asks the gateway again.
        reportSafely(this.deps.onError, error, { operation: 'refund.settle', paymentId: payment.id });
        return refundResultOf(payment, refund, replayed);
      }
    }
    const stored = saved.refunds.find((candidate) => candidate.id === refund.id) as Refund;
    const gateway = stored.gateway ?? '(none)';
    if (stored.status === 'REJECTED') throw new RefundRejectedError(saved.id, gateway, stored.failureCode ?? 'rejected', settlement.outcome === 'REJECTED' ? settlement.message : undefined);
    if (stored.status === 'FAILED') throw new RefundFailedError(saved.id, gateway, `it was not processed (${stored.failureCode ?? 'FAILED'})`);
    return refundResultOf(saved, stored, replayed);
  }

  /** The answer for a key whose refund exists: replayed, or learned from the gateway when it is still pending. */
  private async answerAgain(payment: Payment, refund: Refund, session: CallSession): Promise<RefundPaymentResult> {
    if (refund.status === 'REJECTED') throw new RefundRejectedError(payment.id, refund.gateway ?? '(none)', refund.failureCode ?? 'rejected');
    if (refund.status !== 'PENDING') return refundResultOf(payment, refund, true);
    // Not accepted by the gateway yet and still within its deadline: the request that recorded it
    // may be waiting on the gateway right now. Its answer, not a lookup's, is the one to give.
    if (refund.gatewayReference === null && refund.deadline !== null && this.deps.clock.now() <= refund.deadline) {
      throw new RefundInProgressError(payment.id, refund.idempotencyKey ?? '');
    }
    const settlement = await this.deps.sender.lookup(payment, refund, this.gatewayOf(refund), 'UNKNOWN_OUTCOME', session.signal);
    return this.apply(payment, refund, settlement, session, true);
  }

  private gatewayOf(refund: Refund): PaymentGateway {
    const gateway = refund.gateway === null ? undefined : this.deps.gateways.get(refund.gateway);
    if (gateway === undefined) throw new UnknownGatewayError(refund.gateway ?? '(none)');
    return gateway;
  }

  private async load(id: string, merchantId: string | undefined): Promise<Payment> {
    const payment = await this.deps.repository.findById(id);
    if (payment === null || (merchantId !== undefined && payment.merchantId !== merchantId)) throw new PaymentNotFoundError(id);
    return payment;
  }
}

/** Thrown inside a reservation to write nothing when a racing request recorded the key's refund first. */
class KeyTaken extends Error {
  constructor(readonly refund: Refund) {
    super('the refund of this key was recorded by another request');
  }
}

/** The latest refund made with `key` (a `FAILED` one may be followed by another under the same key). */
function withKey(payment: Payment, key: string): Refund | undefined {
  for (let index = payment.refunds.length - 1; index >= 0; index -= 1) {
    const refund = payment.refunds[index] as Refund;
    if (refund.idempotencyKey === key) return refund;
  }
  return undefined;
}

/** @throws RefundKeyReuseError when `input` asks for another amount or reason than the refund made with its key. */
function assertSameRefund(payment: Payment, refund: Refund, input: RefundPaymentInput): void {
  if ((input.amount !== undefined && input.amount !== refund.amount) || (input.reason !== undefined && input.reason !== refund.reason)) {
    throw new RefundKeyReuseError(payment.id, refund.idempotencyKey ?? '');
  }
}

/** Thrown inside a settlement to write nothing when the refund was settled already (a racing settlement won). */
class AlreadySettled extends Error {}

/** Settles `refundId` as `settlement` says. @throws AlreadySettled when it is not pending any more. */
function settleOnce(payment: Payment, refundId: string, settlement: RefundSettlement): void {
  const refund = payment.refunds.find((candidate) => candidate.id === refundId);
  if (refund === undefined || refund.status !== 'PENDING') throw new AlreadySettled('the refund was settled by another request');
  switch (settlement.outcome) {
    case 'REFUNDED':
      payment.settleRefund(refundId, settlement.gatewayReference === null ? { outcome: 'SUCCEEDED' } : { outcome: 'SUCCEEDED', gatewayReference: settlement.gatewayReference });
      return;
    case 'ACCEPTED':
      if (settlement.gatewayReference !== null && refund.gatewayReference === null) payment.noteRefundAccepted(refundId, settlement.gatewayReference);
      return;
    case 'REJECTED':
      payment.settleRefund(refundId, { outcome: 'REJECTED', code: settlement.code });
      return;
    case 'NOT_PROCESSED':
      payment.settleRefund(refundId, { outcome: 'FAILED', code: settlement.code });
      return;
    case 'UNKNOWN':
      return;
  }
}
