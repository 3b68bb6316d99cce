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
export { IdempotencyKeyNotInProgressError } from './errors/idempotency-key-not-in-progress.error';

// In-memory implementations of the persistence ports
export { InMemoryVersionedRepository, type InMemoryVersionedRepositoryOptions } from './memory/in-memory-versioned.repository';
export { paymentCodec, plainObjectCodec, type EntityCodec } from './memory/entity-codec';
export { InMemoryPaymentRepository, type InMemoryPaymentRepositoryOptions } from './memory/in-memory-payment.repository';
export {
  DEFAULT_IDEMPOTENCY_TTL_MS,
  InMemoryIdempotencyStore,
  type InMemoryIdempotencyStoreOptions,
} from './memory/in-memory-idempotency.store';
export { InMemoryUnitOfWork } from './memory/in-memory-unit-of-work';

// Transactional outbox
export type {
  DeadLetter,
  OutboxClaimRequest,
  OutboxFailure,
  OutboxMessage,
  OutboxStore,
} from './outbox/outbox-store.port';
export { InMemoryOutboxStore, type InMemoryOutboxStoreOptions } from './outbox/in-memory-outbox.store';
export {
  OutboxRelay,
  type OutboxBatchResult,
  type OutboxPublishFailure,
  type OutboxRelayOptions,
  type OutboxRelayStats,
  type OutboxRetryOptions,
} from './outbox/outbox-relay';

// Concurrency utility shared with the persistence adapters
export { AsyncMutex } from './internal/async-mutex';
