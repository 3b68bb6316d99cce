import type { RowOf } from './column-table';
import type { IDEMPOTENCY_KEYS, OUTBOX_MESSAGES, PAYMENT_ATTEMPTS, PAYMENT_REFUNDS, PAYMENTS } from './tables';

/*
 * The rows of AegisPay's tables as the drivers return them, derived from the column tables
 * (`tables.ts`): one property per column. Times are epoch milliseconds (UTC) in bigint columns;
 * PostgreSQL returns bigint as a string, hence `number | string`.
 */

/** A row of `payments`. `metadata` is JSON text. */
export type PaymentRow = RowOf<typeof PAYMENTS>;

/** A row of `payment_attempts`: one gateway call of a payment. */
export type PaymentAttemptRow = RowOf<typeof PAYMENT_ATTEMPTS>;

/** A row of `payment_refunds`; `position` orders a payment's refunds. */
export type PaymentRefundRow = RowOf<typeof PAYMENT_REFUNDS>;

/** A row of `outbox_messages`: one domain event and its delivery state. `payload` is JSON text. */
export type OutboxMessageRow = RowOf<typeof OUTBOX_MESSAGES>;

/** A row of `idempotency_keys`. `state` is `'IN_PROGRESS'` or `'COMPLETED'`; `response` is JSON text once completed. */
export type IdempotencyKeyRow = RowOf<typeof IDEMPOTENCY_KEYS>;
