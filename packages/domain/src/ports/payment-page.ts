import { ValidationError } from '../errors/validation.error';
import { isPaymentStatus, type PaymentStatus } from '../payment/payment-status';
import type { Payment } from '../payment/payment.aggregate';
import type { GatewayType } from './gateway-type';

/** Filters of {@link PaymentPageQuery}; every one given must hold (AND). */
export interface PaymentFilter {
  /** Only payments in this status. */
  readonly status?: PaymentStatus;
  /** Only payments of this customer. */
  readonly customerId?: string;
  /** Only payments captured by this gateway (`PaymentSnapshot.gateway`). */
  readonly gateway?: GatewayType;
  /** Only payments created at or after this instant (epoch ms, inclusive). */
  readonly createdFrom?: number;
  /** Only payments created before this instant (epoch ms, exclusive). */
  readonly createdBefore?: number;
}

/**
 * Where a page ends: the sort key of its last payment. The next page starts strictly after it, so
 * payments created meanwhile (newer, hence before the first page) never shift later pages.
 */
export interface PaymentPageCursor {
  /** The payment's creation instant, whole epoch milliseconds. */
  readonly createdAt: number;
  readonly id: string;
}

/**
 * A page of one merchant's payments in a stable order: newest first (`createdAt` descending), ties
 * broken by `id` descending.
 */
export interface PaymentPageQuery {
  /** Whose payments: a page never holds another merchant's. */
  readonly merchantId: string;
  /** Defaults to none. */
  readonly filter?: PaymentFilter;
  /** The cursor of the previous page; defaults to the beginning (the newest payment). */
  readonly after?: PaymentPageCursor;
  /** At most this many payments, 1 to {@link MAX_PAYMENT_PAGE_SIZE}. Defaults to {@link DEFAULT_PAYMENT_PAGE_SIZE}. */
  readonly limit?: number;
}

/** One page of {@link PaymentPageQuery}. */
export interface PaymentPage {
  readonly payments: readonly Payment[];
  /** The cursor of the next page; `null` when this page is the last one. */
  readonly next: PaymentPageCursor | null;
}

/** Page size when a query names none. */
export const DEFAULT_PAYMENT_PAGE_SIZE = 20;
/** The largest page a repository answers. */
export const MAX_PAYMENT_PAGE_SIZE = 100;

/** A {@link PaymentPageQuery} checked and completed, as repositories run it. */
export interface NormalizedPaymentPageQuery {
  readonly merchantId: string;
  readonly filter: PaymentFilter;
  readonly after: PaymentPageCursor | undefined;
  readonly limit: number;
}

/**
 * Checks a page query and fills its defaults, so that every repository refuses the same queries in
 * the same words. Instants must be whole milliseconds (stored instants are).
 *
 * @throws ValidationError `REPOSITORY.INVALID_QUERY` naming the field: an empty merchant, a limit
 *   outside 1–100 or not whole, an unknown status, an instant that is not whole epoch milliseconds,
 *   an empty cursor id or filter value.
 */
export function normalizePaymentPageQuery(query: PaymentPageQuery): NormalizedPaymentPageQuery {
  const filter = query.filter ?? {};
  text(query.merchantId, 'merchantId');
  const limit = query.limit ?? DEFAULT_PAYMENT_PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAYMENT_PAGE_SIZE) {
    throw invalid('limit', `limit must be a whole number from 1 to ${MAX_PAYMENT_PAGE_SIZE}, got ${String(limit)}.`);
  }
  if (filter.status !== undefined && !isPaymentStatus(filter.status)) throw invalid('filter.status', `filter.status is not a payment status: ${String(filter.status)}.`);
  if (filter.customerId !== undefined) text(filter.customerId, 'filter.customerId');
  if (filter.gateway !== undefined) text(filter.gateway, 'filter.gateway');
  if (filter.createdFrom !== undefined) instant(filter.createdFrom, 'filter.createdFrom');
  if (filter.createdBefore !== undefined) instant(filter.createdBefore, 'filter.createdBefore');
  if (query.after !== undefined) {
    instant(query.after.createdAt, 'after.createdAt');
    text(query.after.id, 'after.id');
  }
  return { merchantId: query.merchantId, filter, after: query.after, limit };
}

/** True when `payment` passes every filter of `filter` (what an in-memory repository scans with). */
export function matchesPaymentFilter(payment: Payment, merchantId: string, filter: PaymentFilter): boolean {
  const created = payment.createdAt.getTime();
  return (
    payment.merchantId === merchantId &&
    (filter.status === undefined || payment.status === filter.status) &&
    (filter.customerId === undefined || payment.customerId === filter.customerId) &&
    (filter.gateway === undefined || payment.gateway === filter.gateway) &&
    (filter.createdFrom === undefined || created >= filter.createdFrom) &&
    (filter.createdBefore === undefined || created < filter.createdBefore)
  );
}

/**
 * The page order: newest first, ties by id descending (ids compared by UTF-16 code units, as
 * SQLite's and PostgreSQL's byte-wise collations do for the ASCII ids AegisPay issues). Negative
 * when `a` comes first.
 */
export function comparePaymentPageKeys(a: PaymentPageCursor, b: PaymentPageCursor): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The sort key of a payment in a page. */
export function paymentPageKey(payment: Payment): PaymentPageCursor {
  return { createdAt: payment.createdAt.getTime(), id: payment.id };
}

function text(value: unknown, field: string): void {
  if (typeof value !== 'string' || value === '') throw invalid(field, `${field} must be a non-empty string.`);
}

function instant(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalid(field, `${field} must be whole epoch milliseconds, got ${String(value)}.`);
  }
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError('REPOSITORY.INVALID_QUERY', field, message);
}
