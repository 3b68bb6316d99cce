/*
 * The rows of AegisPay's tables, as the database stores them. Times are epoch milliseconds (UTC)
 * in bigint columns: exact, portable between SQLite and PostgreSQL, and comparable as numbers.
 * PostgreSQL returns bigint as a string, hence `number | string`.
 */

/** A row of `payments`. `metadata` is JSON text. */
export interface PaymentRow {
  id: string;
  merchant_id: string;
  amount: number | string;
  currency: string;
  payment_method_type: string;
  payment_method_token: string;
  customer_id: string | null;
  description: string | null;
  idempotency_key: string | null;
  status: string;
  version: number;
  gateway: string | null;
  gateway_reference: string | null;
  failure_code: string | null;
  failure_reason: string | null;
  metadata: string;
  created_at: number | string;
  updated_at: number | string;
}

/** A row of `payment_attempts`: one gateway call of a payment. */
export interface PaymentAttemptRow {
  payment_id: string;
  attempt_number: number;
  gateway: string;
  reference: string;
  outcome: string;
  gateway_reference: string | null;
  decline_code: string | null;
  decline_type: string | null;
  error_code: string | null;
  latency_ms: number;
  at: number | string;
}

/** A row of `payment_refunds`; `position` orders a payment's refunds. */
export interface PaymentRefundRow {
  id: string;
  payment_id: string;
  position: number;
  amount: number | string;
  idempotency_key: string | null;
  gateway_reference: string | null;
  reason: string | null;
  created_at: number | string;
}

/** A row of `outbox_messages`: one domain event and its delivery state. `payload` is JSON text. */
export interface OutboxMessageRow {
  sequence: number | string;
  event_id: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  payload: string;
  occurred_at: number | string;
  created_at: number | string;
  available_at: number | string;
  attempts: number;
  claimed_by: string | null;
  claimed_until: number | string | null;
  published_at: number | string | null;
  dead_lettered_at: number | string | null;
  last_error: string | null;
}

/** A row of `idempotency_keys`. `response` is JSON text once completed. */
export interface IdempotencyKeyRow {
  merchant_id: string;
  idempotency_key: string;
  fingerprint: string;
  state: 'IN_PROGRESS' | 'COMPLETED';
  response: string | null;
  created_at: number | string;
  expires_at: number | string;
  completed_at: number | string | null;
}
