import { EntitySchema } from 'typeorm';
import type { SqlDialect } from '../sql/sql-dialect';
import type { IdempotencyKeyRow, OutboxMessageRow, PaymentAttemptRow, PaymentRefundRow, PaymentRow } from './rows';

/**
 * The TypeORM mappings of AegisPay's tables, as `EntitySchema`s: the domain stays free of ORM
 * decorators, and the rows are plain data (see `rows.ts`). They describe exactly what the
 * migrations create (a test checks that TypeORM finds nothing to change), with explicit
 * constraint and index names.
 *
 * The outbox sequence is the one column whose type depends on the database: `bigserial` on
 * PostgreSQL, SQLite's `integer primary key autoincrement` (itself 64-bit) on SQLite.
 */
export function aegisPayEntitySchemas(dialect: SqlDialect): EntitySchema[] {
  const payments = new EntitySchema<PaymentRow>({
    name: 'AegisPayPayment',
    tableName: 'payments',
    columns: {
      id: { type: 'varchar', length: 128, primary: true, primaryKeyConstraintName: 'pk_payments' },
      merchant_id: { type: 'varchar', length: 64 },
      amount: { type: 'bigint' },
      currency: { type: 'varchar', length: 3 },
      payment_method_type: { type: 'varchar', length: 20 },
      payment_method_token: { type: 'varchar', length: 256 },
      customer_id: { type: 'varchar', length: 64, nullable: true },
      description: { type: 'text', nullable: true },
      idempotency_key: { type: 'varchar', length: 255, nullable: true },
      status: { type: 'varchar', length: 20 },
      version: { type: 'integer' },
      gateway: { type: 'varchar', length: 64, nullable: true },
      gateway_reference: { type: 'varchar', length: 255, nullable: true },
      failure_code: { type: 'varchar', length: 100, nullable: true },
      failure_reason: { type: 'text', nullable: true },
      metadata: { type: 'text' },
      created_at: { type: 'bigint' },
      updated_at: { type: 'bigint' },
    },
    indices: [
      { name: 'uq_payments_merchant_idempotency_key', columns: ['merchant_id', 'idempotency_key'], unique: true },
      { name: 'ix_payments_status_updated_at', columns: ['status', 'updated_at'] },
    ],
  });

  const attempts = new EntitySchema<PaymentAttemptRow>({
    name: 'AegisPayPaymentAttempt',
    tableName: 'payment_attempts',
    columns: {
      payment_id: { type: 'varchar', length: 128, primary: true, primaryKeyConstraintName: 'pk_payment_attempts' },
      attempt_number: { type: 'integer', primary: true, primaryKeyConstraintName: 'pk_payment_attempts' },
      gateway: { type: 'varchar', length: 64 },
      reference: { type: 'varchar', length: 255 },
      outcome: { type: 'varchar', length: 20 },
      gateway_reference: { type: 'varchar', length: 255, nullable: true },
      decline_code: { type: 'varchar', length: 100, nullable: true },
      decline_type: { type: 'varchar', length: 10, nullable: true },
      error_code: { type: 'varchar', length: 100, nullable: true },
      latency_ms: { type: 'double precision' },
      at: { type: 'bigint' },
    },
    foreignKeys: [
      { name: 'fk_payment_attempts_payment', target: 'AegisPayPayment', columnNames: ['payment_id'], referencedColumnNames: ['id'] },
    ],
  });

  const refunds = new EntitySchema<PaymentRefundRow>({
    name: 'AegisPayPaymentRefund',
    tableName: 'payment_refunds',
    columns: {
      id: { type: 'varchar', length: 128, primary: true, primaryKeyConstraintName: 'pk_payment_refunds' },
      payment_id: { type: 'varchar', length: 128 },
      position: { type: 'integer' },
      amount: { type: 'bigint' },
      idempotency_key: { type: 'varchar', length: 255, nullable: true },
      gateway_reference: { type: 'varchar', length: 255, nullable: true },
      reason: { type: 'text', nullable: true },
      created_at: { type: 'bigint' },
    },
    indices: [{ name: 'uq_payment_refunds_payment_position', columns: ['payment_id', 'position'], unique: true }],
    foreignKeys: [
      { name: 'fk_payment_refunds_payment', target: 'AegisPayPayment', columnNames: ['payment_id'], referencedColumnNames: ['id'] },
    ],
  });

  const outbox = new EntitySchema<OutboxMessageRow>({
    name: 'AegisPayOutboxMessage',
    tableName: 'outbox_messages',
    columns: {
      sequence: { type: dialect === 'postgres' ? 'bigint' : 'integer', primary: true, generated: 'increment', primaryKeyConstraintName: 'pk_outbox_messages' },
      event_id: { type: 'varchar', length: 128 },
      aggregate_type: { type: 'varchar', length: 64 },
      aggregate_id: { type: 'varchar', length: 128 },
      event_type: { type: 'varchar', length: 100 },
      payload: { type: 'text' },
      occurred_at: { type: 'bigint' },
      created_at: { type: 'bigint' },
      available_at: { type: 'bigint' },
      attempts: { type: 'integer', default: 0 },
      claimed_by: { type: 'varchar', length: 128, nullable: true },
      claimed_until: { type: 'bigint', nullable: true },
      published_at: { type: 'bigint', nullable: true },
      dead_lettered_at: { type: 'bigint', nullable: true },
      last_error: { type: 'text', nullable: true },
    },
    indices: [
      { name: 'uq_outbox_messages_event_id', columns: ['event_id'], unique: true },
      // What a relay scans: unpublished messages in order, and each aggregate's unpublished run.
      { name: 'ix_outbox_messages_unpublished', columns: ['sequence'], where: 'published_at IS NULL' },
      { name: 'ix_outbox_messages_aggregate_unpublished', columns: ['aggregate_id', 'sequence'], where: 'published_at IS NULL' },
    ],
  });

  const idempotencyKeys = new EntitySchema<IdempotencyKeyRow>({
    name: 'AegisPayIdempotencyKey',
    tableName: 'idempotency_keys',
    columns: {
      merchant_id: { type: 'varchar', length: 64, primary: true, primaryKeyConstraintName: 'pk_idempotency_keys' },
      idempotency_key: { type: 'varchar', length: 255, primary: true, primaryKeyConstraintName: 'pk_idempotency_keys' },
      fingerprint: { type: 'text' },
      state: { type: 'varchar', length: 20 },
      response: { type: 'text', nullable: true },
      created_at: { type: 'bigint' },
      expires_at: { type: 'bigint' },
      completed_at: { type: 'bigint', nullable: true },
    },
    indices: [{ name: 'ix_idempotency_keys_expires_at', columns: ['expires_at'] }],
  });

  return [payments, attempts, refunds, outbox, idempotencyKeys];
}
