import { InvalidOptionError, PaymentNotFoundError, type Payment, type VersionedRepository } from '@aegispay/domain';
import { UnexpectedStatusError } from '../errors/unexpected-status.error';
import {
  OptimisticLockManager,
  type EntityMutation,
  type OptimisticLockOptions,
  type OptimisticLockStats,
  type OptimisticUpdateOptions,
} from './optimistic-lock-manager';
import { defaultStatusChange, type StatusChange, type StatusEntity } from './status-change';

/** Options of {@link VersionedPaymentService}: the retry options of {@link OptimisticLockOptions}, and: */
export interface VersionedPaymentServiceOptions<T extends StatusEntity> extends OptimisticLockOptions {
  /**
   * Share a lock manager (and its counters) between services. When given, the retry options
   * above must be left out: they belong to the manager.
   */
  readonly lockManager?: OptimisticLockManager;
  /** How `updateStatus` and `conditionalUpdate` change the status. Defaults to {@link defaultStatusChange}. */
  readonly statusChange?: StatusChange<T>;
}

/** Options of one update: an abort signal for the waits between attempts. */
export type PaymentUpdateOptions = Pick<OptimisticUpdateOptions, 'signal'>;

const LOCK_OPTIONS: readonly (keyof OptimisticLockOptions)[] = [
  'maxRetries',
  'initialBackoffMs',
  'maxBackoffMs',
  'backoffMultiplier',
  'jitterFactor',
  'jitter',
  'clock',
  'random',
  'onConflict',
];

/**
 * Status changes and domain operations on versioned payments, with automatic conflict resolution:
 * each call reads the payment, applies the change, writes it with a compare-and-swap on the
 * version, and on a conflict re-reads and re-applies after a backoff (see
 * {@link OptimisticLockManager}).
 *
 * Works over any `VersionedRepository` of entities with a `status`: the `Payment` aggregate
 * (`InMemoryPaymentRepository`, `TypeOrmPaymentRepository` of `@aegispay/typeorm`) or plain
 * `{ id, version, status }` records (`InMemoryVersionedRepository`).
 */
export class VersionedPaymentService<T extends StatusEntity = Payment> {
  /** The manager doing the retries; its counters are this service's. */
  readonly lockManager: OptimisticLockManager;
  private readonly statusChange: StatusChange<T>;

  constructor(
    private readonly repository: VersionedRepository<T>,
    options: VersionedPaymentServiceOptions<T> = {},
  ) {
    if (options.lockManager !== undefined) {
      const clash = LOCK_OPTIONS.find((name) => options[name] !== undefined);
      if (clash !== undefined) {
        throw new InvalidOptionError('LOCKING.INVALID_OPTION', clash, 'belongs to the lockManager you passed: set it there, or leave lockManager out', {
          owner: 'VersionedPaymentService',
        });
      }
    }
    this.lockManager = options.lockManager ?? new OptimisticLockManager(options);
    this.statusChange = options.statusChange ?? defaultStatusChange;
  }

  /**
   * Applies `mutate` to a fresh read of the payment and writes it if nobody wrote in between,
   * retrying on conflicts. `mutate` runs once per attempt: keep it free of side effects such as
   * gateway calls. Errors it throws (an illegal transition) are not retried.
   *
   * @example service.update(id, (payment) => payment.refund({ amount: 100 }))
   * @throws PaymentNotFoundError, MaxRetriesExceededError, or what `mutate` throws.
   */
  update(id: string, mutate: EntityMutation<T>, options: PaymentUpdateOptions = {}): Promise<T> {
    return this.lockManager.update(this.repository, id, mutate, this.updateOptions(options));
  }

  /**
   * Moves the payment to `status`, retrying on conflicts. A `Payment` moves through its domain
   * operation (see {@link defaultStatusChange}).
   *
   * @throws PaymentNotFoundError, MaxRetriesExceededError, IllegalStateTransitionError,
   *   StatusChangeNeedsDetailsError.
   */
  updateStatus(id: string, status: T['status'], options: PaymentUpdateOptions = {}): Promise<T> {
    return this.update(id, (current) => this.statusChange(current, status), options);
  }

  /**
   * Moves the payment from `expectedStatus` to `newStatus`: the status is checked on every
   * attempt's fresh read, so a concurrent change to another status is never overwritten.
   *
   * @throws UnexpectedStatusError (not retried) when the payment is not in `expectedStatus`;
   *   otherwise as {@link updateStatus}.
   */
  conditionalUpdate(id: string, expectedStatus: T['status'], newStatus: T['status'], options: PaymentUpdateOptions = {}): Promise<T> {
    return this.update(
      id,
      (current) => {
        if (current.status !== expectedStatus) throw new UnexpectedStatusError(id, expectedStatus, current.status);
        return this.statusChange(current, newStatus);
      },
      options,
    );
  }

  /** Counters of attempts, conflicts and outcomes (those of {@link lockManager}). */
  getStats(): OptimisticLockStats {
    return this.lockManager.getStats();
  }

  private updateOptions(options: PaymentUpdateOptions): OptimisticUpdateOptions {
    const notFound = (id: string): Error => new PaymentNotFoundError(id);
    return options.signal === undefined ? { notFound } : { notFound, signal: options.signal };
  }
}
