import { IllegalStateTransitionError } from './payment.errors';

/** Every status a payment can be in. */
export const PAYMENT_STATUSES = [
  'PENDING',
  'PROCESSING',
  'REQUIRES_ACTION',
  'PAID',
  'FAILED',
  'CANCELLED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
] as const;

/** The status of a payment. */
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * The one transition table of the payment state machine. A status change not listed here is
 * illegal. (A further partial refund of a `PARTIALLY_REFUNDED` payment keeps its status: it is
 * not a transition.)
 */
export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = Object.freeze({
  PENDING: ['PROCESSING', 'CANCELLED'],
  PROCESSING: ['PAID', 'FAILED', 'REQUIRES_ACTION'],
  REQUIRES_ACTION: ['PROCESSING'],
  PAID: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  PARTIALLY_REFUNDED: ['REFUNDED'],
  FAILED: [],
  CANCELLED: [],
  REFUNDED: [],
});

/** Statuses no transition leaves. */
export const TERMINAL_STATUSES: readonly PaymentStatus[] = Object.freeze(
  PAYMENT_STATUSES.filter((status) => PAYMENT_TRANSITIONS[status].length === 0),
);

/** True when `value` is one of {@link PAYMENT_STATUSES}. */
export function isPaymentStatus(value: unknown): value is PaymentStatus {
  return typeof value === 'string' && (PAYMENT_STATUSES as readonly string[]).includes(value);
}

/** True when the table allows `from → to`. */
export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to);
}

/** @throws IllegalStateTransitionError naming both statuses when the table does not allow `from → to`. */
export function assertTransition(from: PaymentStatus, to: PaymentStatus, paymentId?: string): void {
  if (!canTransition(from, to)) throw new IllegalStateTransitionError(from, to, paymentId);
}
