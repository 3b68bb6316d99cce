import {
  isLiveAttempt,
  type ChargeNotification,
  type GatewayAttempt,
  type GatewayNotification,
  type GatewayType,
  type IdempotencyStore,
  type Payment,
  type PaymentGateway,
  type PaymentRepository,
  type Refund,
  type RefundNotification,
} from '@aegispay/domain';
import { applySettlement, settlementFromStatus, type Settlement } from '../attempt/settlement';
import { GatewayDiscrepancyError, RefundFailedError, RefundRejectedError } from '../errors/orchestrator.errors';
import type { PaymentKeys } from '../idempotency/payment-keys';
import { isFinalResult, storedResult } from '../payment/payment-result';
import type { PaymentRefunding } from '../refund/payment-refunding';
import { refundSettlementFromStatus, type RefundSettlement } from '../refund/refund-sender';
import type { CallSession } from '../support/call-session';
import { reportSafely, type OrchestratorErrorReporter } from '../support/orchestrator-error-reporter';
import type { PaymentWriter } from '../support/payment-writer';
import type { NotificationOutcome } from './notification-outcome';

/**
 * The owner under which applied event ids are kept in the idempotency store: not a merchant id (a
 * merchant id cannot hold `#`), so no merchant's keys can collide with them.
 */
export const NOTIFICATION_EVENTS_OWNER = '#gateway-notifications';

/** What {@link GatewayNotifications} works with. */
export interface GatewayNotificationsDependencies {
  readonly repository: PaymentRepository;
  readonly gateways: ReadonlyMap<GatewayType, PaymentGateway>;
  readonly writer: PaymentWriter;
  readonly refunding: PaymentRefunding;
  /** Completes a payment's idempotency key once a notification makes the payment final. */
  readonly keys: PaymentKeys | undefined;
  /** Remembers applied event ids; without it, a notification heard again is still harmless (applied by state). */
  readonly events: IdempotencyStore | undefined;
  /** How long an applied event id is remembered, ms. */
  readonly eventTtlMs: number;
  readonly onError: OrchestratorErrorReporter | undefined;
}

/** Thrown inside a write to leave the payment untouched: what the notification comes to, seen on the current record. */
class Settled extends Error {
  constructor(readonly outcome: NotificationOutcome) {
    super(outcome.kind);
  }
}

const APPLY = 'APPLY';

/**
 * Applies what gateways tell on their own (verified webhooks) to the payments and refunds that wait
 * for it: a charge left `PENDING`, awaiting the customer or with an unknown outcome; a refund left
 * `PENDING`. Each is applied like the answer of a status lookup, through the same settlement
 * functions the pipeline and recovery use, in one compare-and-swap write.
 *
 * - **Idempotent twice over**: an event id applied before is `DUPLICATE` (remembered in the
 *   idempotency store), and applying a state the record already has changes nothing.
 * - **Never races the pipeline**: a charge whose attempt is still `IN_FLIGHT` is being sent right
 *   now; the notification is `DEFERRED` (the gateway delivers it again), and recovery settles the
 *   payment if its process died.
 * - **Never overwrites a settled record**: a gateway contradicting one (a capture on a `FAILED`
 *   payment) is a `DISCREPANCY`, reported through `onError` and left for a person.
 */
export class GatewayNotifications {
  constructor(private readonly deps: GatewayNotificationsDependencies) {}

  async apply(notification: GatewayNotification, session: CallSession): Promise<NotificationOutcome> {
    const { eventId } = notification;
    if (!this.deps.gateways.has(notification.gateway)) return { kind: 'UNMATCHED', eventId, reason: `no gateway named "${notification.gateway}" is configured` };
    const events = this.deps.events;
    const key = `${notification.gateway}:${eventId}`;
    if (events !== undefined) {
      const claim = await events.begin(NOTIFICATION_EVENTS_OWNER, key, notification.type, { ttlMs: this.deps.eventTtlMs });
      if (claim.status === 'COMPLETED') return { kind: 'DUPLICATE', eventId };
      if (claim.status === 'IN_PROGRESS') return { kind: 'DEFERRED', eventId, paymentId: null, reason: 'another delivery of this event is being applied' };
    }
    let outcome: NotificationOutcome;
    try {
      outcome = await this.settle(notification, session);
    } catch (error) {
      if (events !== undefined) await events.release(NOTIFICATION_EVENTS_OWNER, key).catch((cause: unknown) => this.report(cause, 'notification.release'));
      throw error;
    }
    if (events !== undefined) {
      // A record that cannot be kept only costs a second, harmless application of the same state.
      const remember = outcome.kind === 'DEFERRED' ? events.release(NOTIFICATION_EVENTS_OWNER, key) : events.complete(NOTIFICATION_EVENTS_OWNER, key, outcome);
      await remember.catch((cause: unknown) => this.report(cause, 'notification.remember'));
    }
    if (outcome.kind === 'DISCREPANCY') this.report(new GatewayDiscrepancyError(outcome.paymentId, eventId, outcome.reason), 'notification.discrepancy', outcome.paymentId);
    return outcome;
  }

  private async settle(notification: GatewayNotification, session: CallSession): Promise<NotificationOutcome> {
    const payment = await this.paymentOf(notification);
    if (payment === null) return { kind: 'UNMATCHED', eventId: notification.eventId, reason: 'no payment of ours carries its reference' };
    return notification.type === 'CHARGE' ? this.settleCharge(payment, notification, session) : this.settleRefund(payment, notification, session);
  }

  /** The payment the notification names (echoed id), or whose reference it echoes (`<paymentId>:<n>`). */
  private async paymentOf(notification: GatewayNotification): Promise<Payment | null> {
    const ids = new Set<string>();
    if (notification.paymentId !== undefined && notification.paymentId !== '') ids.add(notification.paymentId);
    const prefix = notification.reference?.split(':')[0];
    if (prefix !== undefined && prefix !== '') ids.add(prefix);
    for (const id of ids) {
      const payment = await this.deps.repository.findById(id);
      if (payment !== null) return payment;
    }
    return null;
  }

  private async settleCharge(payment: Payment, notification: ChargeNotification, session: CallSession): Promise<NotificationOutcome> {
    const attempt = chargeAttemptOf(payment, notification);
    if (attempt === undefined) return { kind: 'UNMATCHED', eventId: notification.eventId, reason: `payment ${payment.id} has no attempt at ${notification.gateway} with this reference` };
    const settlement = settlementFromStatus(notification.status, 'UNKNOWN_OUTCOME', false);
    const first = chargeVerdict(payment, attempt, settlement, notification.eventId);
    if (first !== APPLY) return first;
    let saved: Payment;
    try {
      saved = await this.deps.writer.update(payment.id, session, (current) => {
        const stored = chargeAttemptOf(current, notification) as GatewayAttempt;
        const verdict = chargeVerdict(current, stored, settlement, notification.eventId);
        if (verdict !== APPLY) throw new Settled(verdict);
        applySettlement(current, stored, settlement, stored.latencyMs, { declineEnds: true, note: `(told by ${stored.gateway})` });
      });
    } catch (error) {
      if (error instanceof Settled) return error.outcome;
      throw error;
    }
    await this.completeKey(saved, session);
    return { kind: 'APPLIED', eventId: notification.eventId, paymentId: saved.id, paymentStatus: saved.status };
  }

  private async settleRefund(payment: Payment, notification: RefundNotification, session: CallSession): Promise<NotificationOutcome> {
    const { eventId } = notification;
    const refund = refundOf(payment, notification);
    if (refund === undefined) return { kind: 'UNMATCHED', eventId, reason: `payment ${payment.id} has no refund at ${notification.gateway} with this reference` };
    const settlement = refundSettlementFromStatus(notification.status, 'UNKNOWN_OUTCOME', false);
    const verdict = refundVerdict(payment, refund, settlement, eventId);
    if (verdict !== APPLY) return verdict;
    await this.deps.refunding.apply(payment, refund, settlement, session, false).catch((error: unknown) => {
      // A rejection or a failure is a settlement too: recorded, then reported by the use case as an error.
      if (!RefundRejectedError.is(error) && !RefundFailedError.is(error)) throw error;
    });
    const saved = (await this.deps.repository.findById(payment.id)) ?? payment;
    const stored = saved.refunds.find((candidate) => candidate.id === refund.id) as Refund;
    if (stored.status === 'PENDING' && (settlement.outcome !== 'ACCEPTED' || stored.gatewayReference === null)) {
      // The write failed (reported by the use case): the gateway must deliver the event again.
      throw new Error(`the settlement of refund ${refund.id} could not be recorded`);
    }
    if (stored.status !== refund.status || stored.gatewayReference !== refund.gatewayReference) {
      return { kind: 'APPLIED', eventId, paymentId: saved.id, paymentStatus: saved.status, refund: { id: stored.id, status: stored.status } };
    }
    return { kind: 'NO_CHANGE', eventId, paymentId: saved.id, reason: `refund ${refund.id} is ${stored.status} already` };
  }

  /** A payment made final by a notification answers its idempotency key from now on, as recovery does. */
  private async completeKey(payment: Payment, session: CallSession): Promise<void> {
    if (this.deps.keys === undefined || payment.idempotencyKey === null) return;
    const result = storedResult(payment, `Settled by ${payment.gateway ?? 'the gateway'}'s notification (request ${session.requestId}).`);
    if (result === null || !isFinalResult(result)) return;
    await this.deps.keys.complete({ merchantId: payment.merchantId, key: payment.idempotencyKey, fingerprint: '' }, { ...result, replayed: false });
  }

  private report(error: unknown, operation: string, paymentId?: string): void {
    reportSafely(this.deps.onError, error, paymentId === undefined ? { operation } : { operation, paymentId });
  }
}

/** The attempt a charge notification is about: at its gateway, with its reference or the gateway's charge id. */
function chargeAttemptOf(payment: Payment, notification: ChargeNotification): GatewayAttempt | undefined {
  return payment.attempts.find(
    (attempt) =>
      attempt.gateway === notification.gateway &&
      ((notification.reference !== undefined && attempt.reference === notification.reference) || (attempt.gatewayReference !== null && attempt.gatewayReference === notification.gatewayReference)),
  );
}

/** The refund a refund notification is about: at its gateway, with its reference or the gateway's refund id. */
function refundOf(payment: Payment, notification: RefundNotification): Refund | undefined {
  const status = notification.status;
  const gatewayReference = status.status === 'REFUNDED' || status.status === 'PENDING' ? status.gatewayReference : undefined;
  return payment.refunds.find(
    (refund) =>
      refund.gateway === notification.gateway &&
      ((notification.reference !== undefined && (refund.reference ?? `${payment.id}:${refund.id}`) === notification.reference) ||
        (gatewayReference !== undefined && refund.gatewayReference === gatewayReference)),
  );
}

/** Whether a charge settlement should be applied to `attempt` now, or what the notification comes to instead. */
function chargeVerdict(payment: Payment, attempt: GatewayAttempt, settlement: Settlement, eventId: string): NotificationOutcome | typeof APPLY {
  const paymentId = payment.id;
  if (!isLiveAttempt(attempt)) {
    const contradicted =
      (settlement.outcome === 'APPROVED' && attempt.outcome !== 'APPROVED') || (settlement.outcome === 'DECLINED' && attempt.outcome === 'APPROVED');
    if (contradicted) {
      return { kind: 'DISCREPANCY', eventId, paymentId, reason: `${attempt.gateway} says attempt ${attempt.reference} is ${settlement.outcome}, recorded ${attempt.outcome} (payment ${payment.status})` };
    }
    return { kind: 'NO_CHANGE', eventId, paymentId, reason: `attempt ${attempt.reference} is ${attempt.outcome} already` };
  }
  if (attempt.outcome === 'IN_FLIGHT') return { kind: 'DEFERRED', eventId, paymentId, reason: `attempt ${attempt.reference} is being sent right now` };
  if (settlement.outcome === 'UNKNOWN') return { kind: 'NO_CHANGE', eventId, paymentId, reason: 'the notification says nothing conclusive' };
  if (settlement.outcome === attempt.outcome) return { kind: 'NO_CHANGE', eventId, paymentId, reason: `attempt ${attempt.reference} is ${attempt.outcome} already` };
  return APPLY;
}

/** Whether a refund settlement should be applied to `refund` now, or what the notification comes to instead. */
function refundVerdict(payment: Payment, refund: Refund, settlement: RefundSettlement, eventId: string): NotificationOutcome | typeof APPLY {
  const paymentId = payment.id;
  if (refund.status !== 'PENDING') {
    const contradicted = (settlement.outcome === 'REFUNDED' && refund.status !== 'SUCCEEDED') || (settlement.outcome === 'REJECTED' && refund.status === 'SUCCEEDED');
    if (contradicted) {
      return { kind: 'DISCREPANCY', eventId, paymentId, reason: `${refund.gateway ?? 'the gateway'} says refund ${refund.id} is ${settlement.outcome}, recorded ${refund.status}` };
    }
    return { kind: 'NO_CHANGE', eventId, paymentId, reason: `refund ${refund.id} is ${refund.status} already` };
  }
  if (settlement.outcome === 'UNKNOWN') return { kind: 'NO_CHANGE', eventId, paymentId, reason: 'the notification says nothing conclusive' };
  if (settlement.outcome === 'ACCEPTED' && (settlement.gatewayReference === null || refund.gatewayReference !== null)) {
    return { kind: 'NO_CHANGE', eventId, paymentId, reason: `refund ${refund.id} is accepted already` };
  }
  return APPLY;
}
