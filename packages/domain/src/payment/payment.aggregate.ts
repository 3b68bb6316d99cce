import type { PaymentEvent, PaymentEventType } from '../events/payment-events';
import { Money } from '../money/money';
import type { GatewayType } from '../ports/gateway-type';
import type { NextAction } from '../ports/payment-gateway.port';
import { findCardNumber } from './card-number-finder';
import { isLiveAttempt, type BeginAttemptInput, type GatewayAttempt, type RecordAttemptInput, type SettleAttemptInput } from './payment-attempt';
import { PaymentAttempts } from './payment-attempts';
import { systemPaymentDependencies, type PaymentDependencies } from './payment-dependencies';
import { createPaymentEvent, type PaymentEventFields } from './payment-event.factory';
import { validatePaymentInput, type CreatePaymentInput } from './payment-input';
import { validateMetadata, type MetadataValue, type PaymentMetadata } from './payment-metadata';
import type { PaymentMethod } from './payment-method';
import { PaymentRefunds } from './payment-refunds';
import { checkStoredSnapshot, cloneSnapshot, deepFreeze, shareSnapshot, type MutableSnapshot, type PaymentSnapshot } from './payment-snapshot';
import { assertTransition, TERMINAL_STATUSES, type PaymentStatus } from './payment-status';
import { CardDataDetectedError, InvalidPaymentError } from './payment.errors';
import type { Refund, RequestRefundInput, SettleRefundInput } from './refund';

/**
 * The Payment aggregate: a merchant's request to take money from a customer, its status, every
 * gateway attempt and every refund.
 *
 * Status changes follow {@link PAYMENT_TRANSITIONS}; each records a domain event that the
 * repository stores in the outbox with the payment (`pullEvents`). The aggregate never changes
 * its own `version`: the repository sets it on each successful versioned write. A payment that
 * was never stored has version 0.
 *
 * Two invariants keep money safe whatever the caller does: an attempt is recorded before its
 * request leaves and no attempt starts while another may still charge (a *live* attempt), and a
 * refund reserves its amount when it is requested, so refunds can never add up to more than was
 * captured — whether they succeed, fail or are still pending.
 */
export class Payment {
  private state: MutableSnapshot;
  private events: PaymentEvent[] = [];

  private constructor(
    snapshot: PaymentSnapshot,
    private readonly deps: PaymentDependencies,
    trusted = false,
  ) {
    this.state = trusted ? shareSnapshot(snapshot) : cloneSnapshot(snapshot);
  }

  /**
   * Validates a merchant's request and creates a `PENDING` payment, recording `PaymentCreated`.
   * `deps` default to the system clock and random UUIDs.
   *
   * @throws CardDataDetectedError when any field looks like a card number (checked first, and
   *   the digits are never echoed).
   * @throws InvalidPaymentError, InvalidAmountError, InvalidCurrencyError naming the bad field.
   */
  static create(input: CreatePaymentInput, deps: PaymentDependencies = systemPaymentDependencies()): Payment {
    const valid = validatePaymentInput(input);
    const now = new Date(deps.clock.now()).toISOString();
    const payment = new Payment(
      {
        id: deps.ids.generate('pay'),
        ...valid,
        status: 'PENDING',
        version: 0,
        gateway: null,
        gatewayReference: null,
        failureCode: null,
        failureReason: null,
        nextAction: null,
        attempts: [],
        refunds: [],
        createdAt: now,
        updatedAt: now,
      },
      deps,
    );
    payment.record('PaymentCreated', {
      amount: valid.amount,
      currency: valid.currency,
      paymentMethodType: valid.paymentMethod.type,
    });
    return payment;
  }

  /**
   * Rebuilds a payment from stored data, without recording events.
   * @throws InvalidPaymentError `PAYMENT.CORRUPT_SNAPSHOT` when the data is not a valid payment.
   */
  static rehydrate(snapshot: PaymentSnapshot, deps: PaymentDependencies = systemPaymentDependencies()): Payment {
    return new Payment(checkStoredSnapshot(snapshot), deps);
  }

  get id(): string {
    return this.state.id;
  }
  get merchantId(): string {
    return this.state.merchantId;
  }
  /** Minor units. */
  get amount(): number {
    return this.state.amount;
  }
  /** ISO 4217 code. */
  get currency(): string {
    return this.state.currency;
  }
  /** Amount and currency as {@link Money}. */
  get money(): Money {
    return Money.of(this.state.amount, this.state.currency);
  }
  get paymentMethod(): PaymentMethod {
    return this.state.paymentMethod;
  }
  get customerId(): string | null {
    return this.state.customerId;
  }
  get description(): string | null {
    return this.state.description;
  }
  get idempotencyKey(): string | null {
    return this.state.idempotencyKey;
  }
  get status(): PaymentStatus {
    return this.state.status;
  }
  get version(): number {
    return this.state.version;
  }
  /** The gateway that captured the payment. */
  get gateway(): GatewayType | null {
    return this.state.gateway;
  }
  get gatewayReference(): string | null {
    return this.state.gatewayReference;
  }
  get failureCode(): string | null {
    return this.state.failureCode;
  }
  get failureReason(): string | null {
    return this.state.failureReason;
  }
  /** What the customer must do, while `REQUIRES_ACTION`. */
  get nextAction(): NextAction | null {
    return this.state.nextAction;
  }
  get attempts(): readonly GatewayAttempt[] {
    return this.state.attempts;
  }
  /** The attempt that may still charge (in flight, pending, awaiting the customer, unknown), if any. */
  get liveAttempt(): GatewayAttempt | undefined {
    return this.state.attempts.find(isLiveAttempt);
  }
  get refunds(): readonly Refund[] {
    return this.state.refunds;
  }
  get metadata(): PaymentMetadata {
    return this.state.metadata;
  }
  get createdAt(): Date {
    return new Date(this.state.createdAt);
  }
  get updatedAt(): Date {
    return new Date(this.state.updatedAt);
  }
  /** True in a status no transition leaves (`FAILED`, `CANCELLED`, `REFUNDED`). */
  get isTerminal(): boolean {
    return TERMINAL_STATUSES.includes(this.state.status);
  }
  /** What was captured: the amount once `PAID` (or refunded), zero before. */
  get capturedAmount(): Money {
    const captured = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'].includes(this.state.status);
    return Money.of(captured ? this.state.amount : 0, this.state.currency);
  }
  /** Sum of the refunds that succeeded. */
  get refundedAmount(): Money {
    return Money.of(this.refundBook().total('SUCCEEDED'), this.state.currency);
  }
  /** Sum of the refunds requested and not settled yet: reserved, not refundable again. */
  get pendingRefundAmount(): Money {
    return Money.of(this.refundBook().total('PENDING'), this.state.currency);
  }
  /** What can still be refunded: captured minus refunded minus pending. */
  get refundableAmount(): Money {
    return this.capturedAmount.subtract(this.refundedAmount).subtract(this.pendingRefundAmount);
  }

  /**
   * Merges `entries` into the metadata (enrichment hooks' output), while the payment is still
   * `PENDING`. The merged metadata must satisfy the same limits as at creation; on any error
   * nothing changes. Not a state change: no event.
   *
   * @throws InvalidPaymentError `PAYMENT.INVALID_METADATA`, or `PAYMENT.NOT_PENDING` after processing started.
   * @throws CardDataDetectedError when an entry looks like a card number.
   */
  enrichMetadata(entries: Readonly<Record<string, MetadataValue>>): void {
    if (this.state.status !== 'PENDING') {
      throw new InvalidPaymentError('PAYMENT.NOT_PENDING', 'metadata', `Metadata can only be enriched before processing; payment ${this.state.id} is ${this.state.status}.`);
    }
    const cardField = findCardNumber(entries, 'metadata');
    if (cardField !== undefined) throw new CardDataDetectedError(cardField);
    this.state.metadata = validateMetadata({ ...this.state.metadata, ...entries });
    this.touch();
  }

  /** `PENDING` or `REQUIRES_ACTION` → `PROCESSING`; records `PaymentProcessingStarted`. */
  startProcessing(): void {
    const from = this.state.status;
    this.moveTo('PROCESSING');
    this.state.nextAction = null;
    this.record('PaymentProcessingStarted', { from });
  }

  /**
   * Records an attempt as `IN_FLIGHT`, before its request is sent: whatever happens next, the
   * payment says where it may have been charged. Only while `PROCESSING`, and only when no other
   * attempt is live.
   * @throws InvalidPaymentError `PAYMENT.NOT_PROCESSING`, `PAYMENT.ATTEMPT_LIVE` or `PAYMENT.DUPLICATE_REFERENCE`.
   */
  beginAttempt(input: BeginAttemptInput): GatewayAttempt {
    return this.changeAttempts('Gateway attempts can only be recorded', (attempts, at) => attempts.begin(input, at));
  }

  /**
   * Records what became of a live attempt (`IN_FLIGHT`, `PENDING`, `REQUIRES_ACTION` or `UNKNOWN`).
   * @throws InvalidPaymentError `PAYMENT.NOT_PROCESSING`, `PAYMENT.UNKNOWN_ATTEMPT` or `PAYMENT.ATTEMPT_SETTLED`.
   */
  settleAttempt(reference: string, input: SettleAttemptInput): GatewayAttempt {
    return this.changeAttempts('Gateway attempts can only be settled', (attempts, at) => attempts.settle(reference, input, at));
  }

  /**
   * Records an attempt that is over already (one found by recovery at a gateway, or replayed
   * from an older record). Only while `PROCESSING`, and only when no other attempt is live.
   * @throws InvalidPaymentError `PAYMENT.NOT_PROCESSING`, `PAYMENT.ATTEMPT_LIVE` or `PAYMENT.DUPLICATE_REFERENCE`.
   */
  recordAttempt(input: RecordAttemptInput): GatewayAttempt {
    return this.changeAttempts('Gateway attempts can only be recorded', (attempts, at) => attempts.record(input, at));
  }

  /**
   * `PROCESSING` → `REQUIRES_ACTION` (3-D Secure, a redirect); records `PaymentActionRequired`.
   * `action` is what the customer must do, when the gateway said.
   */
  requireAction(reason: string, action?: NextAction): void {
    this.moveTo('REQUIRES_ACTION');
    this.state.nextAction = action === undefined ? null : deepFreeze(structuredClone(action));
    this.record('PaymentActionRequired', { reason });
  }

  /** `PROCESSING` → `PAID`; records `PaymentSucceeded`. */
  markSucceeded(capture: { readonly gateway: GatewayType; readonly gatewayReference: string }): void {
    this.moveTo('PAID');
    this.state.gateway = capture.gateway;
    this.state.gatewayReference = capture.gatewayReference;
    this.record('PaymentSucceeded', { gateway: capture.gateway, gatewayReference: capture.gatewayReference, amount: this.state.amount, currency: this.state.currency });
  }

  /** `PROCESSING` → `FAILED`; records `PaymentFailed`. */
  markFailed(failure: { readonly code: string; readonly reason: string; readonly gateway?: GatewayType }): void {
    this.moveTo('FAILED');
    this.state.failureCode = failure.code;
    this.state.failureReason = failure.reason;
    this.record('PaymentFailed', { code: failure.code, reason: failure.reason, gateway: failure.gateway ?? null });
  }

  /** `PENDING` → `CANCELLED`; records `PaymentCancelled`. */
  cancel(reason: string): void {
    this.moveTo('CANCELLED');
    this.state.failureReason = reason;
    this.record('PaymentCancelled', { reason });
  }

  /**
   * Records a refund as `PENDING`, reserving its amount (default: everything still refundable),
   * before the gateway is asked. Not a status change: the payment's status moves when the refund
   * succeeds.
   *
   * @throws IllegalStateTransitionError unless `PAID` or `PARTIALLY_REFUNDED`.
   * @throws RefundExceedsCapturedError when it would take refunds (pending ones included) above the
   *   captured amount; InvalidPaymentError / InvalidAmountError / CardDataDetectedError for bad input.
   */
  requestRefund(request: RequestRefundInput = {}): Refund {
    const refund = this.refundBook().request(request, {
      id: this.deps.ids.generate('re'),
      at: this.nowIso(),
      gateway: request.gateway ?? this.state.gateway,
    });
    this.state.refunds = Object.freeze([...this.state.refunds, refund]);
    this.touch();
    return refund;
  }

  /**
   * Settles a `PENDING` refund. Success moves the payment to `PARTIALLY_REFUNDED` or `REFUNDED` and
   * records `RefundProcessed`; a rejection or a failure releases the reserved amount and records
   * `RefundFailed` (`rejected` says which).
   * @throws InvalidPaymentError `PAYMENT.UNKNOWN_REFUND` or `PAYMENT.REFUND_SETTLED`.
   */
  settleRefund(refundId: string, outcome: SettleRefundInput): Refund {
    const { refunds, settled, status } = this.refundBook().settle(refundId, outcome, this.nowIso());
    if (status !== this.state.status) assertTransition(this.state.status, status, this.state.id);
    this.state.refunds = refunds;
    this.state.status = status;
    this.touch();
    const { id, amount } = settled;
    const currency = this.state.currency;
    if (settled.status === 'SUCCEEDED') {
      this.record('RefundProcessed', { refundId: id, amount, currency, refundedTotal: this.refundedAmount.amount, fullyRefunded: status === 'REFUNDED' });
    } else {
      this.record('RefundFailed', { refundId: id, amount, currency, code: settled.failureCode ?? settled.status, rejected: settled.status === 'REJECTED' });
    }
    return settled;
  }

  /** Records the gateway's id of a `PENDING` refund it accepted and will confirm later. Not a state change: no event. */
  noteRefundAccepted(refundId: string, gatewayReference: string): void {
    this.state.refunds = this.refundBook().withGatewayReference(refundId, gatewayReference);
    this.touch();
  }

  /**
   * Records a refund the gateway has already made, in one step (`requestRefund` then a successful
   * `settleRefund`). Throws as those do.
   */
  refund(request: Omit<RequestRefundInput, 'reference' | 'deadline'> & { readonly gatewayReference?: string } = {}): Refund {
    const { gatewayReference, ...rest } = request;
    const pending = this.requestRefund(rest);
    return this.settleRefund(pending.id, gatewayReference === undefined ? { outcome: 'SUCCEEDED' } : { outcome: 'SUCCEEDED', gatewayReference });
  }

  /**
   * The events recorded since the last call, oldest first; the aggregate forgets them. The
   * repository stores them in the outbox in the same transaction as the payment.
   */
  pullEvents(): readonly PaymentEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  /** Events recorded and not yet pulled (read-only view). */
  peekEvents(): readonly PaymentEvent[] {
    return [...this.events];
  }

  /** A copy of this payment at `version`, without pending events: what a repository returns after a write. */
  withVersion(version: number): Payment {
    return new Payment({ ...this.state, version }, this.deps, true);
  }

  /** A deep-frozen copy of the data: safe to hand to hooks, serialise or store. */
  toSnapshot(): PaymentSnapshot {
    return Object.freeze(shareSnapshot(this.state));
  }

  toJSON(): PaymentSnapshot {
    return this.toSnapshot();
  }

  private refundBook(): PaymentRefunds {
    return new PaymentRefunds(this.state);
  }

  private changeAttempts(what: string, change: (attempts: PaymentAttempts, at: string) => { readonly attempts: readonly GatewayAttempt[]; readonly attempt: GatewayAttempt }): GatewayAttempt {
    if (this.state.status !== 'PROCESSING') {
      throw new InvalidPaymentError('PAYMENT.NOT_PROCESSING', 'status', `${what} while PROCESSING; payment ${this.state.id} is ${this.state.status}.`);
    }
    const { attempts, attempt } = change(new PaymentAttempts(this.state), this.nowIso());
    this.state.attempts = attempts;
    this.touch();
    return attempt;
  }

  private moveTo(next: PaymentStatus): void {
    assertTransition(this.state.status, next, this.state.id);
    this.state.status = next;
    this.touch();
  }

  private touch(): void {
    this.state.updatedAt = this.nowIso();
  }

  private nowIso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private record<T extends PaymentEventType>(type: T, fields: PaymentEventFields<T>): void {
    this.events.push(createPaymentEvent(this.deps, this.state, type, fields));
  }
}
