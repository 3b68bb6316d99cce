// Optimistic locking
export {
  OptimisticLockManager,
  type ConflictEvent,
  type EntityMutation,
  type OptimisticLockOptions,
  type OptimisticLockStats,
  type OptimisticUpdateOptions,
} from './lock/optimistic-lock-manager';
export {
  VersionedPaymentService,
  type PaymentUpdateOptions,
  type VersionedPaymentServiceOptions,
} from './lock/versioned-payment.service';
export { defaultStatusChange, type StatusChange, type StatusEntity } from './lock/status-change';

// Errors
export { VersionConflictError } from './errors/version-conflict.error';
export { MaxRetriesExceededError } from './errors/max-retries-exceeded.error';
export { UnexpectedStatusError } from './errors/unexpected-status.error';
export { StatusChangeNeedsDetailsError } from './errors/status-change-needs-details.error';

// In-memory adapters of the persistence ports (the ports themselves live in @aegispay/domain)
export { InMemoryVersionedRepository, type InMemoryVersionedRepositoryOptions } from './memory/in-memory-versioned.repository';
export { paymentCodec, plainObjectCodec, type EntityCodec } from './memory/entity-codec';
export { InMemoryPaymentRepository, type InMemoryPaymentRepositoryOptions } from './memory/in-memory-payment.repository';
export { InMemoryIdempotencyStore, type InMemoryIdempotencyStoreOptions } from './memory/in-memory-idempotency.store';
export { InMemoryOutboxStore, type InMemoryOutboxStoreOptions } from './memory/in-memory-outbox.store';
export { InMemoryUnitOfWork } from './memory/in-memory-unit-of-work';

// Transactional outbox relay (over the OutboxStore port of @aegispay/domain)
export {
  OutboxRelay,
  type OutboxBatchResult,
  type OutboxPublishFailure,
  type OutboxRelayOptions,
  type OutboxRelayStats,
} from './outbox/outbox-relay';

// Retention of the tables that would otherwise only grow (over the OutboxStore and IdempotencyStore ports)
export {
  RetentionSweeper,
  type RetentionBatchResult,
  type RetentionSweeperOptions,
  type RetentionStats,
  type RetentionStores,
} from './retention/retention-sweeper';
