import type { PaymentEvent, PaymentEventType } from '../events/payment-events';
import { Money, assertMinorUnits } from '../money/money';
import { currencyOf } from '../money/currency';
import type { Clock } from '../ports/clock.port';
import type { GatewayType } from '../ports/gateway-type';
import type { IdGenerator } from '../ports/id-generator.port';
import { CryptoIdGenerator } from '../system/node-id-generator';
import { SystemClock } from '../system/system-clock';
import { findCardNumber } from './card-number-finder';
import type { GatewayAttempt, RecordAttemptInput } from './payment-attempt';
import { CONTROL_CHARACTERS, validateMetadata, type MetadataValue, type PaymentMetadata } from './payment-metadata';
import { isPaymentMethodType, PAYMENT_METHOD_TYPES, type PaymentMethod } from './payment-method';
import { assertTransition, isPaymentStatus, TERMINAL_STATUSES, type PaymentStatus } from './payment-status';
import { CardDataDetectedError, IllegalStateTransitionError, InvalidPaymentError, RefundExceedsCapturedError } from './payment.errors';
import type { Refund } from './refund';

/** What a merchant supplies to create a payment. */
export interface CreatePaymentInput {
  /** The merchant the payment belongs to: 1–64 characters of letters, digits, `_ . : -`. */
  readonly merchantId: string;
  /** Integer minor units, greater than zero (1999 = 19.99 EUR). */
  readonly amount: number;
  /** ISO 4217 code, upper case. */
  readonly currency: string;
  /** A method type and a vault token; never a card number. */
  readonly paymentMethod: PaymentMethod;
  /** 1–64 characters of letters, digits, `_ . : -`. */
  readonly customerId?: string;
  /** At most 500 characters. */
  readonly description?: string;
  /** 1–255 printable ASCII characters, unique per merchant. */
  readonly idempotencyKey?: string;
  /** See {@link validateMetadata} for the limits. */
  readonly metadata?: Readonly<Record<string, MetadataValue>>;
}

/** Collaborators a payment takes its time and identifiers from. */
export interface PaymentDependencies {
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The plain, JSON-safe data of a payment: what repositories store and hooks read. */
export interface PaymentSnapshot {
  readonly id: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
  readonly paymentMethod: PaymentMethod;
  readonly customerId: string | null;
  readonly description: string | null;
  readonly idempotencyKey: string | null;
  readonly status: PaymentStatus;
  readonly version: number;
  /** The gateway that captured the payment, once `PAID`. */
  readonly gateway: GatewayType | null;
  readonly gatewayReference: string | null;
  readonly failureCode: string | null;
  readonly failureReason: string | null;
  readonly attempts: readonly GatewayAttempt[];
  readonly refunds: readonly Refund[];
  readonly metadata: PaymentMetadata;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  /** ISO-8601 UTC. */
  readonly updatedAt: string;
}

const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const TOKEN = /^[\x21-\x7e]{1,256}$/;
const MAX_DESCRIPTION = 500;
const INPUT_FIELDS = new Set([
  'merchantId',
  'amount',
  'currency',
  'paymentMethod',
  'customerId',
  'description',
  'idempotencyKey',
  'metadata',
]);

let defaultDependencies: PaymentDependencies | undefined;
function systemDependencies(): PaymentDependencies {
  defaultDependencies ??= { clock: new SystemClock(), ids: new CryptoIdGenerator() };
  return defaultDependencies;
}

/**
 * The Payment aggregate: a merchant's request to take money from a customer, its status, every
 * gateway attempt and every refund.
 *
 * Status changes follow {@link PAYMENT_TRANSITIONS}; each records a domain event that the
 * repository stores in the outbox with the payment (`pullEvents`). The aggregate never changes
 * its own `version`: the repository sets it on each successful versioned write. A payment that
 * was never stored has version 0.
 */
export class Payment {
  private state: Mutable<PaymentSnapshot>;
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
  static create(input: CreatePaymentInput, deps: PaymentDependencies = systemDependencies()): Payment {
    const cardField = findCardNumber(input);
    if (cardField !== undefined) throw new CardDataDetectedError(cardField);
    if (typeof input !== 'object' || input === null) {
      throw new InvalidPaymentError('PAYMENT.INVALID_INPUT', '', 'A payment request must be an object.');
    }
    for (const key of Object.keys(input)) {
      if (!INPUT_FIELDS.has(key)) {
        throw new InvalidPaymentError('PAYMENT.UNKNOWN_FIELD', key, `Unknown field "${key.slice(0, 40)}" in the payment request.`);
      }
    }
    const merchantId = requireIdentifier(input.merchantId, 'merchantId');
    const amount = assertMinorUnits(input.amount);
    if (amount === 0) {
      throw new InvalidPaymentError('PAYMENT.INVALID_AMOUNT', 'amount', 'amount must be greater than zero.');
    }
    const currency = currencyOf(input.currency).code;
    const paymentMethod = requirePaymentMethod(input.paymentMethod);
    const customerId = input.customerId === undefined ? null : requireIdentifier(input.customerId, 'customerId');
    const description = input.description === undefined ? null : requireDescription(input.description);
    const idempotencyKey = input.idempotencyKey === undefined ? null : requireIdempotencyKey(input.idempotencyKey);
    const metadata = validateMetadata(input.metadata);

    const now = isoOf(deps.clock.now());
    const payment = new Payment(
      {
        id: deps.ids.generate('pay'),
        merchantId,
        amount,
        currency,
        paymentMethod,
        customerId,
        description,
        idempotencyKey,
        status: 'PENDING',
        version: 0,
        gateway: null,
        gatewayReference: null,
        failureCode: null,
        failureReason: null,
        attempts: [],
        refunds: [],
        metadata,
        createdAt: now,
        updatedAt: now,
      },
      deps,
    );
    payment.record('PaymentCreated', {
      merchantId,
      amount,
      currency,
      paymentMethodType: paymentMethod.type,
    });
    return payment;
  }

  /**
   * Rebuilds a payment from stored data, without recording events.
   * @throws InvalidPaymentError `PAYMENT.CORRUPT_SNAPSHOT` when the data is not a valid payment.
   */
  static rehydrate(snapshot: PaymentSnapshot, deps: PaymentDependencies = systemDependencies()): Payment {
    if (!isPaymentStatus(snapshot.status)) {
      throw new InvalidPaymentError('PAYMENT.CORRUPT_SNAPSHOT', 'status', `Stored payment ${snapshot.id} has an unknown status.`);
    }
    if (!Number.isInteger(snapshot.version) || snapshot.version < 0) {
      throw new InvalidPaymentError('PAYMENT.CORRUPT_SNAPSHOT', 'version', `Stored payment ${snapshot.id} has an invalid version.`);
    }
    Money.of(snapshot.amount, snapshot.currency);
    return new Payment(snapshot, deps);
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
  get attempts(): readonly GatewayAttempt[] {
    return this.state.attempts;
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
  /** Sum of all refunds. */
  get refundedAmount(): Money {
    return Money.of(
      this.state.refunds.reduce((sum, refund) => sum + refund.amount, 0),
      this.state.currency,
    );
  }
  /** What can still be refunded: captured minus refunded. */
  get refundableAmount(): Money {
    return this.capturedAmount.subtract(this.refundedAmount);
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
      throw new InvalidPaymentError(
        'PAYMENT.NOT_PENDING',
        'metadata',
        `Metadata can only be enriched before processing; payment ${this.state.id} is ${this.state.status}.`,
      );
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
    this.record('PaymentProcessingStarted', { from });
  }

  /**
   * Records a gateway attempt (numbered and timestamped here). Only while `PROCESSING`.
   * @throws IllegalStateTransitionError outside `PROCESSING`.
   */
  recordAttempt(input: RecordAttemptInput): GatewayAttempt {
    if (this.state.status !== 'PROCESSING') {
      throw new InvalidPaymentError(
        'PAYMENT.NOT_PROCESSING',
        'status',
        `Gateway attempts can only be recorded while PROCESSING; payment ${this.state.id} is ${this.state.status}.`,
      );
    }
    const attempt: GatewayAttempt = Object.freeze({
      attemptNumber: this.state.attempts.length + 1,
      gateway: input.gateway,
      reference: input.reference,
      outcome: input.outcome,
      gatewayReference: input.gatewayReference ?? null,
      declineCode: input.declineCode ?? null,
      declineType: input.declineType ?? null,
      errorCode: input.errorCode ?? null,
      latencyMs: input.latencyMs,
      at: this.nowIso(),
    });
    this.state.attempts = Object.freeze([...this.state.attempts, attempt]);
    this.touch();
    return attempt;
  }

  /** `PROCESSING` → `REQUIRES_ACTION` (for example 3-D Secure); records `PaymentActionRequired`. */
  requireAction(reason: string): void {
    this.moveTo('REQUIRES_ACTION');
    this.record('PaymentActionRequired', { reason });
  }

  /** `PROCESSING` → `PAID`; records `PaymentSucceeded`. */
  markSucceeded(capture: { readonly gateway: GatewayType; readonly gatewayReference: string }): void {
    this.moveTo('PAID');
    this.state.gateway = capture.gateway;
    this.state.gatewayReference = capture.gatewayReference;
    this.record('PaymentSucceeded', {
      gateway: capture.gateway,
      gatewayReference: capture.gatewayReference,
      amount: this.state.amount,
      currency: this.state.currency,
    });
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
   * Refunds `amount` minor units (default: everything still refundable). The payment becomes
   * `PARTIALLY_REFUNDED` or, when nothing is left, `REFUNDED`; records `RefundProcessed`.
   *
   * @throws IllegalStateTransitionError unless `PAID` or `PARTIALLY_REFUNDED` (a fully refunded
   *   payment has nothing left to refund).
   * @throws InvalidPaymentError for a reason that is not plain text of at most 500 characters, or a
   *   malformed idempotency key; CardDataDetectedError when any field looks like a card number.
   * @throws RefundExceedsCapturedError when the refunded total would exceed the captured amount.
   * @throws InvalidAmountError / InvalidPaymentError for a non-positive or malformed amount.
   */
  refund(request: {
    readonly amount?: number;
    readonly idempotencyKey?: string;
    readonly gatewayReference?: string;
    readonly reason?: string;
  } = {}): Refund {
    if (this.state.status !== 'PAID' && this.state.status !== 'PARTIALLY_REFUNDED') {
      // Nothing captured, or nothing left: say so, whatever the amount asked for.
      throw new IllegalStateTransitionError(this.state.status, request.amount === undefined ? 'REFUNDED' : 'PARTIALLY_REFUNDED', this.state.id);
    }
    const cardField = findCardNumber({ idempotencyKey: request.idempotencyKey, gatewayReference: request.gatewayReference, reason: request.reason }, 'refund');
    if (cardField !== undefined) throw new CardDataDetectedError(cardField);
    if (request.reason !== undefined && (typeof request.reason !== 'string' || request.reason.length > MAX_DESCRIPTION || CONTROL_CHARACTERS.test(request.reason))) {
      throw new InvalidPaymentError('PAYMENT.INVALID_REFUND_REASON', 'reason', `A refund reason must be plain text of at most ${MAX_DESCRIPTION} characters.`);
    }
    if (request.idempotencyKey !== undefined) requireIdempotencyKey(request.idempotencyKey);
    const refundable = this.refundableAmount.amount;
    const amount = request.amount === undefined ? refundable : assertMinorUnits(request.amount);
    const next: PaymentStatus = amount === refundable ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    // A further partial refund keeps PARTIALLY_REFUNDED: no status change, nothing to check.
    if (this.state.status !== next) assertTransition(this.state.status, next, this.state.id);
    if (amount === 0) {
      throw new InvalidPaymentError('PAYMENT.INVALID_REFUND_AMOUNT', 'amount', 'A refund amount must be greater than zero.');
    }
    if (amount > refundable) {
      throw new RefundExceedsCapturedError(this.state.id, amount, refundable, this.state.currency);
    }
    const refund: Refund = Object.freeze({
      id: this.deps.ids.generate('re'),
      amount,
      idempotencyKey: request.idempotencyKey ?? null,
      gatewayReference: request.gatewayReference ?? null,
      reason: request.reason ?? null,
      createdAt: this.nowIso(),
    });
    this.state.refunds = Object.freeze([...this.state.refunds, refund]);
    this.state.status = next;
    this.touch();
    this.record('RefundProcessed', {
      refundId: refund.id,
      amount,
      currency: this.state.currency,
      refundedTotal: this.refundedAmount.amount,
      fullyRefunded: next === 'REFUNDED',
    });
    return refund;
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

  private moveTo(next: PaymentStatus): void {
    assertTransition(this.state.status, next, this.state.id);
    this.state.status = next;
    this.touch();
  }

  private touch(): void {
    this.state.updatedAt = this.nowIso();
  }

  private nowIso(): string {
    return isoOf(this.deps.clock.now());
  }

  private record<T extends PaymentEventType>(type: T, payload: Extract<PaymentEvent, { type: T }>['payload']): void {
    const event = {
      id: this.deps.ids.generate('evt'),
      type,
      aggregateType: 'Payment',
      aggregateId: this.state.id,
      occurredAt: this.nowIso(),
      payload,
    } as Extract<PaymentEvent, { type: T }>;
    this.events.push(deepFreeze(event));
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function isoOf(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * A defensive copy of data from outside (a store, a caller): every nested part copied and frozen.
 * Inside the aggregate those parts are frozen and replaced, never mutated, so copies of its own
 * state can share them ({@link shareSnapshot}).
 */
function cloneSnapshot(snapshot: PaymentSnapshot): Mutable<PaymentSnapshot> {
  return {
    ...snapshot,
    paymentMethod: Object.freeze({ ...snapshot.paymentMethod }),
    attempts: Object.freeze(snapshot.attempts.map((attempt) => Object.freeze({ ...attempt }))),
    refunds: Object.freeze(snapshot.refunds.map((refund) => Object.freeze({ ...refund }))),
    metadata: Object.freeze({ ...snapshot.metadata }),
  };
}

/** A copy of the aggregate's own state: the frozen nested parts are shared, not copied. */
function shareSnapshot(state: PaymentSnapshot): Mutable<PaymentSnapshot> {
  return { ...state };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function requireIdentifier(value: unknown, field: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new InvalidPaymentError(
      `PAYMENT.INVALID_${field === 'merchantId' ? 'MERCHANT_ID' : 'CUSTOMER_ID'}`,
      field,
      `${field} must be 1–64 characters of letters, digits, "_", ".", ":" or "-".`,
    );
  }
  return value;
}

function requireDescription(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_DESCRIPTION || CONTROL_CHARACTERS.test(value)) {
    throw new InvalidPaymentError(
      'PAYMENT.INVALID_DESCRIPTION',
      'description',
      `description must be plain text (no control characters) of at most ${MAX_DESCRIPTION} characters.`,
    );
  }
  return value;
}

function requireIdempotencyKey(value: unknown): string {
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw new InvalidPaymentError(
      'PAYMENT.INVALID_IDEMPOTENCY_KEY',
      'idempotencyKey',
      'idempotencyKey must be 1–255 printable ASCII characters without spaces.',
    );
  }
  return value;
}

function requirePaymentMethod(value: unknown): PaymentMethod {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidPaymentError('PAYMENT.INVALID_PAYMENT_METHOD', 'paymentMethod', 'paymentMethod must be an object { type, token }.');
  }
  const { type, token, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) {
    throw new InvalidPaymentError(
      'PAYMENT.UNKNOWN_FIELD',
      `paymentMethod.${extra.slice(0, 40)}`,
      `Unknown field "${extra.slice(0, 40)}" in paymentMethod; only type and token are accepted (never card data).`,
    );
  }
  if (!isPaymentMethodType(type)) {
    throw new InvalidPaymentError(
      'PAYMENT.INVALID_PAYMENT_METHOD',
      'paymentMethod.type',
      `paymentMethod.type must be one of ${PAYMENT_METHOD_TYPES.join(', ')}.`,
    );
  }
  if (typeof token !== 'string' || !TOKEN.test(token)) {
    throw new InvalidPaymentError(
      'PAYMENT.INVALID_PAYMENT_METHOD',
      'paymentMethod.token',
      'paymentMethod.token must be 1–256 printable ASCII characters: the token your vault or gateway issued.',
    );
  }
  return Object.freeze({ type, token });
}
