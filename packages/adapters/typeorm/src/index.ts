// Data source and migrations
export {
  aegisPayDataSourceOptions,
  createDataSource,
  DEFAULT_DATABASE_URL,
  type CreateDataSourceOptions,
  type SqliteSynchronous,
} from './data-source/create-data-source';
export { AEGISPAY_MIGRATIONS, MIGRATIONS_TABLE, migrate, pendingMigrations } from './migrations/migrations';
export { InitialSchema1767225600000 } from './migrations/1767225600000-initial-schema';
export { AttemptsBeforeSending1767830400000 } from './migrations/1767830400000-attempts-before-sending';
export { PaymentListingIndexes1768435200000 } from './migrations/1768435200000-payment-listing-indexes';
export { PublishedOutboxIndex1768521600000 } from './migrations/1768521600000-published-outbox-index';
export { aegisPayEntitySchemas } from './schema/entity-schemas';
export type { IdempotencyKeyRow, OutboxMessageRow, PaymentAttemptRow, PaymentRefundRow, PaymentRow } from './schema/rows';
export type { SqlDialect } from './sql/sql-dialect';

// Ports implemented over TypeORM
export { TypeOrmPaymentRepository, type TypeOrmPaymentRepositoryOptions } from './payment/typeorm-payment.repository';
export { TypeOrmUnitOfWork } from './unit-of-work/typeorm-unit-of-work';
export { TypeOrmIdempotencyStore, type TypeOrmIdempotencyStoreOptions } from './idempotency/typeorm-idempotency.store';
export { TypeOrmOutboxStore } from './outbox/typeorm-outbox.store';

// Errors
export { DatabaseUnavailableError } from './errors/database-unavailable.error';
export { UnsupportedDatabaseError } from './errors/unsupported-database.error';
