import { Money } from '../money/money';
import type { NextAction } from '../ports/payment-gateway.port';
import type { GatewayType } from '../ports/gateway-type';
import type { GatewayAttempt } from './payment-attempt';
import type { PaymentMetadata } from './payment-metadata';
import type { PaymentMethod } from './payment-method';
import { isPaymentStatus, type PaymentStatus } from './payment-status';
import { InvalidPaymentError } from './payment.errors';
import type { Refund } from './refund';

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
  /** What the customer must do, while `REQUIRES_ACTION`. */
  readonly nextAction: NextAction | null;
  readonly attempts: readonly GatewayAttempt[];
  readonly refunds: readonly Refund[];
  readonly metadata: PaymentMetadata;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  /** ISO-8601 UTC. */
  readonly updatedAt: string;
}

/** A snapshot whose fields can be assigned (the aggregate's own state). */
export type MutableSnapshot = { -readonly [K in keyof PaymentSnapshot]: PaymentSnapshot[K] };

/**
 * A defensive copy of data from outside (a store, a caller): every nested part copied and frozen.
 * Data stored before attempts had deadlines and refunds had a status reads as settled, deadline-less
 * records (which is what they were). Inside the aggregate nested parts are frozen and replaced,
 * never mutated, so copies of its own state can share them ({@link shareSnapshot}).
 */
export function cloneSnapshot(snapshot: PaymentSnapshot): MutableSnapshot {
  return {
    ...snapshot,
    nextAction: snapshot.nextAction === undefined || snapshot.nextAction === null ? null : deepFreeze(structuredClone(snapshot.nextAction)),
    paymentMethod: Object.freeze({ ...snapshot.paymentMethod }),
    attempts: Object.freeze(snapshot.attempts.map((attempt) => Object.freeze({ ...attempt, deadline: attempt.deadline ?? null }))),
    refunds: Object.freeze(snapshot.refunds.map((refund) => Object.freeze({ ...LEGACY_REFUND, ...refund }))),
    metadata: Object.freeze({ ...snapshot.metadata }),
  };
}

/** What a refund stored before refunds had a lifecycle was: one the gateway had already made. */
const LEGACY_REFUND = Object.freeze({ status: 'SUCCEEDED', reference: null, gateway: null, failureCode: null, deadline: null, settledAt: null } as const);

/** A copy of the aggregate's own state: the frozen nested parts are shared, not copied. */
export function shareSnapshot(state: PaymentSnapshot): MutableSnapshot {
  return { ...state };
}

/** Freezes `value` and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * `snapshot`, when it is a payment that can have been stored.
 * @throws InvalidPaymentError `PAYMENT.CORRUPT_SNAPSHOT` naming the field that is not.
 */
export function checkStoredSnapshot(snapshot: PaymentSnapshot): PaymentSnapshot {
  if (!isPaymentStatus(snapshot.status)) {
    throw new InvalidPaymentError('PAYMENT.CORRUPT_SNAPSHOT', 'status', `Stored payment ${snapshot.id} has an unknown status.`);
  }
  if (!Number.isInteger(snapshot.version) || snapshot.version < 0) {
    throw new InvalidPaymentError('PAYMENT.CORRUPT_SNAPSHOT', 'version', `Stored payment ${snapshot.id} has an invalid version.`);
  }
  Money.of(snapshot.amount, snapshot.currency);
  return snapshot;
}
