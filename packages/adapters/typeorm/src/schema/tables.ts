import type {
  AttemptOutcome,
  DeclineType,
  DomainEvent,
  GatewayAttempt,
  GatewayType,
  NextAction,
  PaymentMetadata,
  PaymentMethodType,
  PaymentSnapshot,
  PaymentStatus,
  Refund,
  RefundStatus,
} from '@aegispay/domain';
import { bigint, doublePrecision, instant, integer, json, nullable, text, varchar } from './column';
import { columnsOf } from './column-table';

/*
 * THE COLUMN TABLES: every table of AegisPay, column by column, in the order the migrations
 * created them. Everything else that knows a column is derived from here: the entity schemas
 * (`entity-schemas.ts`), the row types (`rows.ts`), the INSERT and compare-and-swap UPDATE
 * statements and their parameter lists, the reads (`table-sql.ts`, the repository and stores).
 * The migrations are history and stay as written; a test checks that these tables describe
 * exactly what they create, on SQLite and on PostgreSQL. Adding a column: see the README.
 */

/** A payment as its `payments` row holds it: the snapshot without its child rows. */
export type PaymentRecord = Omit<PaymentSnapshot, 'attempts' | 'refunds'>;

const payment = columnsOf<PaymentRecord>();

/** `payments`: one row per payment; `version` is the optimistic lock. */
export const PAYMENTS = payment.table({
  name: 'payments',
  entity: 'AegisPayPayment',
  primaryKeyConstraint: 'pk_payments',
  columns: [
    payment.field('id', 'id', varchar(128), { primary: true }),
    payment.field('merchant_id', 'merchantId', varchar(64)),
    payment.field('amount', 'amount', bigint),
    payment.field('currency', 'currency', varchar(3)),
    payment.nested('payment_method_type', 'paymentMethod', 'type', varchar<PaymentMethodType>(20)),
    payment.nested('payment_method_token', 'paymentMethod', 'token', varchar(256)),
    payment.field('customer_id', 'customerId', nullable(varchar(64))),
    payment.field('description', 'description', nullable(text)),
    payment.field('idempotency_key', 'idempotencyKey', nullable(varchar(255))),
    payment.field('status', 'status', varchar<PaymentStatus>(20)),
    payment.field('version', 'version', integer, { version: true }),
    payment.field('gateway', 'gateway', nullable(varchar<GatewayType>(64))),
    payment.field('gateway_reference', 'gatewayReference', nullable(varchar(255))),
    payment.field('failure_code', 'failureCode', nullable(varchar(100))),
    payment.field('failure_reason', 'failureReason', nullable(text)),
    payment.field('metadata', 'metadata', json<PaymentMetadata>()),
    payment.field('created_at', 'createdAt', instant),
    payment.field('updated_at', 'updatedAt', instant),
    payment.field('next_action', 'nextAction', nullable(json<NextAction>())),
  ],
  indices: [
    { name: 'uq_payments_merchant_idempotency_key', columns: ['merchant_id', 'idempotency_key'], unique: true },
    { name: 'ix_payments_status_updated_at', columns: ['status', 'updated_at'] },
    // Listing a merchant's payments newest first, unfiltered or by one equality filter (read backwards).
    { name: 'ix_payments_merchant_created', columns: ['merchant_id', 'created_at', 'id'] },
    { name: 'ix_payments_merchant_status_created', columns: ['merchant_id', 'status', 'created_at', 'id'] },
    { name: 'ix_payments_merchant_customer_created', columns: ['merchant_id', 'customer_id', 'created_at', 'id'] },
    { name: 'ix_payments_merchant_gateway_created', columns: ['merchant_id', 'gateway', 'created_at', 'id'] },
  ],
});

const attempt = columnsOf<GatewayAttempt, { readonly paymentId: string }>();

/** `payment_attempts`: one row per gateway call of a payment, numbered from 1. */
export const PAYMENT_ATTEMPTS = attempt.table({
  name: 'payment_attempts',
  entity: 'AegisPayPaymentAttempt',
  primaryKeyConstraint: 'pk_payment_attempts',
  columns: [
    attempt.fromContext('payment_id', varchar(128), (parent) => parent.paymentId, { primary: true }),
    attempt.field('attempt_number', 'attemptNumber', integer, { primary: true }),
    attempt.field('gateway', 'gateway', varchar<GatewayType>(64)),
    attempt.field('reference', 'reference', varchar(255)),
    attempt.field('outcome', 'outcome', varchar<AttemptOutcome>(20)),
    attempt.field('gateway_reference', 'gatewayReference', nullable(varchar(255))),
    attempt.field('decline_code', 'declineCode', nullable(varchar(100))),
    attempt.field('decline_type', 'declineType', nullable(varchar<DeclineType>(10))),
    attempt.field('error_code', 'errorCode', nullable(varchar(100))),
    attempt.field('latency_ms', 'latencyMs', doublePrecision),
    attempt.field('at', 'at', instant),
    attempt.field('deadline', 'deadline', nullable(bigint)),
  ],
  foreignKeys: [{ name: 'fk_payment_attempts_payment', columns: ['payment_id'], references: PAYMENTS, referencedColumns: ['id'] }],
});

const refund = columnsOf<Refund, { readonly paymentId: string; readonly position: number }>();

/** `payment_refunds`: one row per refund of a payment; `position` orders them. */
export const PAYMENT_REFUNDS = refund.table({
  name: 'payment_refunds',
  entity: 'AegisPayPaymentRefund',
  primaryKeyConstraint: 'pk_payment_refunds',
  columns: [
    refund.field('id', 'id', varchar(128), { primary: true }),
    refund.fromContext('payment_id', varchar(128), (parent) => parent.paymentId),
    refund.fromContext('position', integer, (parent) => parent.position),
    refund.field('amount', 'amount', bigint),
    refund.field('idempotency_key', 'idempotencyKey', nullable(varchar(255))),
    refund.field('gateway_reference', 'gatewayReference', nullable(varchar(255))),
    refund.field('reason', 'reason', nullable(text)),
    refund.field('created_at', 'createdAt', instant),
    // Refunds stored before they had a lifecycle had been made: the default.
    refund.field('status', 'status', varchar<RefundStatus>(20), { default: 'SUCCEEDED' }),
    refund.field('reference', 'reference', nullable(varchar(255))),
    refund.field('gateway', 'gateway', nullable(varchar<GatewayType>(64))),
    refund.field('failure_code', 'failureCode', nullable(varchar(100))),
    refund.field('deadline', 'deadline', nullable(bigint)),
    refund.field('settled_at', 'settledAt', nullable(instant)),
  ],
  indices: [
    { name: 'uq_payment_refunds_payment_position', columns: ['payment_id', 'position'], unique: true },
    // What recovery scans: the refunds whose gateway has not answered for good.
    { name: 'ix_payment_refunds_pending', columns: ['created_at'], where: "status = 'PENDING'" },
  ],
  foreignKeys: [{ name: 'fk_payment_refunds_payment', columns: ['payment_id'], references: PAYMENTS, referencedColumns: ['id'] }],
});

const message = columnsOf<DomainEvent, { readonly now: number }>();

/**
 * `outbox_messages`: one domain event per row, written with the state change that raised it, and
 * its delivery state, which the outbox store's claim protocol manages in its own SQL.
 */
export const OUTBOX_MESSAGES = message.table({
  name: 'outbox_messages',
  entity: 'AegisPayOutboxMessage',
  primaryKeyConstraint: 'pk_outbox_messages',
  columns: [
    message.managed('sequence', bigint, { primary: true, generated: true }),
    message.field('event_id', 'id', varchar(128)),
    message.field('aggregate_type', 'aggregateType', varchar(64)),
    message.field('aggregate_id', 'aggregateId', varchar(128)),
    message.field('event_type', 'type', varchar(100)),
    message.field('payload', 'payload', json<DomainEvent['payload']>()),
    message.field('occurred_at', 'occurredAt', instant),
    message.fromContext('created_at', bigint, (context) => context.now),
    message.fromContext('available_at', bigint, (context) => context.now),
    // A new message has had no delivery attempt.
    message.fromContext('attempts', integer, () => 0, { default: 0 }),
    message.managed('claimed_by', nullable(varchar(128))),
    message.managed('claimed_until', nullable(bigint)),
    message.managed('published_at', nullable(bigint)),
    message.managed('dead_lettered_at', nullable(bigint)),
    message.managed('last_error', nullable(text)),
  ],
  indices: [
    { name: 'uq_outbox_messages_event_id', columns: ['event_id'], unique: true },
    // What a relay scans: unpublished messages in order, and each aggregate's unpublished run.
    { name: 'ix_outbox_messages_unpublished', columns: ['sequence'], where: 'published_at IS NULL' },
    { name: 'ix_outbox_messages_aggregate_unpublished', columns: ['aggregate_id', 'sequence'], where: 'published_at IS NULL' },
    // What retention deletes from: published messages, oldest publication first.
    { name: 'ix_outbox_messages_published', columns: ['published_at'], where: 'published_at IS NOT NULL' },
  ],
});

const key = columnsOf<never>();

/**
 * `idempotency_keys`: one row per merchant's key. The store's `INSERT … ON CONFLICT … DO UPDATE
 * … WHERE` claim is the contract and is written out by hand, so every column is managed there.
 */
export const IDEMPOTENCY_KEYS = key.table({
  name: 'idempotency_keys',
  entity: 'AegisPayIdempotencyKey',
  primaryKeyConstraint: 'pk_idempotency_keys',
  columns: [
    key.managed('merchant_id', varchar(64), { primary: true }),
    key.managed('idempotency_key', varchar(255), { primary: true }),
    key.managed('fingerprint', text),
    key.managed('state', varchar<'IN_PROGRESS' | 'COMPLETED'>(20)),
    key.managed('response', nullable(text)),
    key.managed('created_at', bigint),
    key.managed('expires_at', bigint),
    key.managed('completed_at', nullable(bigint)),
  ],
  indices: [{ name: 'ix_idempotency_keys_expires_at', columns: ['expires_at'] }],
});

/** Every AegisPay table, parents before children (the order to create them; drop in reverse). */
export const AEGISPAY_TABLES = [PAYMENTS, PAYMENT_ATTEMPTS, PAYMENT_REFUNDS, OUTBOX_MESSAGES, IDEMPOTENCY_KEYS] as const;
