import type { IdempotencyStore, OutboxStore, PaymentRepository, UnitOfWork } from '@aegispay/domain';
import type { FakeClock } from '@aegispay/domain/testing';

/**
 * One set of persistence implementations sharing one store (one database), as the contract suites
 * exercise them. The factory is called before each test and `dispose` after it.
 */
export interface PersistenceFixture {
  readonly repository: PaymentRepository;
  /** The outbox `repository` writes the payments' events to. */
  readonly outbox: OutboxStore;
  readonly idempotency: IdempotencyStore;
  /** Makes `repository`, `outbox` and `idempotency` writes commit together. */
  readonly unitOfWork: UnitOfWork;
  /** The clock the idempotency store judges expiry with; tests move it. */
  readonly clock: FakeClock;
  /**
   * A new idempotency store of the same kind on the same clock, with these options (on the same
   * database for database stores). The contract uses it for the options every store must honour.
   */
  createIdempotencyStore(options: { readonly defaultTtlMs?: number; readonly inProgressLeaseMs?: number }): IdempotencyStore;
  dispose(): Promise<void>;
}

/** Creates a fresh, empty {@link PersistenceFixture}. */
export type PersistenceFixtureFactory = () => Promise<PersistenceFixture>;
