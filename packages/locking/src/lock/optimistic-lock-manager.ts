import { EntityNotFoundError, type Clock, type Random, type Versioned, type VersionedRepository } from '@aegispay/domain';
import { RetryExhaustedError, RetryPolicy, type BackoffOptions, type JitterStrategy } from '@aegispay/resilience';
import { MaxRetriesExceededError } from '../errors/max-retries-exceeded.error';
import { VersionConflictError } from '../errors/version-conflict.error';

/**
 * Options of {@link OptimisticLockManager} (and of `VersionedPaymentService`). The backoff between
 * attempts ({@link BackoffOptions}) defaults to the spec's table: `initialBackoffMs` 10 ms,
 * `maxBackoffMs` 1 000 ms, `backoffMultiplier` 2, `jitterFactor` 0.1.
 */
export interface OptimisticLockOptions extends BackoffOptions {
  /** Retries after the first attempt, so up to maxRetries + 1 read-modify-write attempts. Defaults to 5. */
  readonly maxRetries?: number;
  /**
   * Jitter law (see `RetryOptions.jitter` of `@aegispay/resilience`). Defaults to `'proportional'`,
   * the spec's table (10 ms, 20 ms ± jitter, 40 ms ± jitter…). Under heavy contention `'full'`
   * spreads writers further apart.
   */
  readonly jitter?: JitterStrategy;
  /** Waits between attempts go through it. Defaults to `SystemClock`. */
  readonly clock?: Clock;
  /** Jitter source. Defaults to `CryptoRandom`; pass a seeded one to replay. */
  readonly random?: Random;
  /** Called when a write lost its compare-and-swap and will be retried, before the wait. */
  readonly onConflict?: (event: ConflictEvent) => void;
}

/** Passed to {@link OptimisticLockOptions.onConflict}. */
export interface ConflictEvent {
  readonly entityId: string;
  /** The attempt that conflicted (1-based). */
  readonly attempt: number;
  /** The version that attempt read and tried to replace. */
  readonly expectedVersion: number;
  /** How long the manager waits before the next attempt. */
  readonly delayMs: number;
}

/** Options of one {@link OptimisticLockManager.update}. */
export interface OptimisticUpdateOptions {
  /** Aborts the waits between attempts (the attempt in flight completes). */
  readonly signal?: AbortSignal;
  /** The error to throw when the entity does not exist. Defaults to `EntityNotFoundError('Entity', id)`. */
  readonly notFound?: (id: string) => Error;
}

/**
 * Applies a change to the entity just read and returns the changed entity, or nothing when it
 * changed the entity in place. Called once per attempt on a fresh read: keep it a pure function of
 * the entity (no gateway calls, no side effects that must not repeat).
 */
export type EntityMutation<T> = (current: T, attempt: number) => T | void | Promise<T | void>;

/** Counters of a lock manager, for observability. */
export interface OptimisticLockStats {
  /** `update` calls. */
  readonly operations: number;
  /** Updates that were written. */
  readonly succeeded: number;
  /** Read-modify-write attempts (≥ operations that got as far as a read). */
  readonly attempts: number;
  /** Attempts whose compare-and-swap found another version. */
  readonly conflicts: number;
  /** Updates abandoned with `MaxRetriesExceededError`. */
  readonly exhausted: number;
  /** Updates whose entity did not exist. */
  readonly notFound: number;
}

interface ConflictBox {
  lastVersionSeen: number;
}

/**
 * Optimistic concurrency control: read, apply a change, write only if the version is still the
 * one read (one compare-and-swap in the repository), and on a conflict re-read and try again after
 * an exponential backoff with jitter (the `RetryPolicy` of `@aegispay/resilience`).
 *
 * Only version conflicts are retried. A missing entity, an error thrown by the mutation (an
 * illegal transition) or by the repository propagates at once. When every attempt conflicts it
 * throws {@link MaxRetriesExceededError}.
 */
export class OptimisticLockManager {
  private readonly policy: RetryPolicy;
  private readonly counters = { operations: 0, succeeded: 0, attempts: 0, conflicts: 0, exhausted: 0, notFound: 0 };

  constructor(options: OptimisticLockOptions = {}) {
    const onConflict = options.onConflict;
    this.policy = new RetryPolicy({
      maxRetries: options.maxRetries ?? 5,
      initialBackoffMs: options.initialBackoffMs ?? 10,
      maxBackoffMs: options.maxBackoffMs ?? 1_000,
      backoffMultiplier: options.backoffMultiplier ?? 2,
      jitterFactor: options.jitterFactor ?? 0.1,
      jitter: options.jitter ?? 'proportional',
      shouldRetry: (error) => VersionConflictError.is(error),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(onConflict === undefined
        ? {}
        : {
            onRetry: (event) => {
              const conflict = event.error as VersionConflictError;
              onConflict({ entityId: conflict.entityId, attempt: event.attempt, expectedVersion: conflict.expectedVersion, delayMs: event.delayMs });
            },
          }),
    });
  }

  /** Retries after the first attempt. */
  get maxRetries(): number {
    return this.policy.maxRetries;
  }

  /**
   * Reads `id` from `repository`, applies `mutate` and writes the result with
   * `updateWithVersion(id, changed, versionRead)`, retrying on conflicts. Resolves to the stored
   * entity (its version is the one read + 1).
   *
   * @throws MaxRetriesExceededError when every attempt conflicted.
   * @throws the `notFound` error (default `EntityNotFoundError`) when the entity does not exist.
   */
  async update<T extends Versioned>(
    repository: VersionedRepository<T>,
    id: string,
    mutate: EntityMutation<T>,
    options: OptimisticUpdateOptions = {},
  ): Promise<T> {
    this.counters.operations += 1;
    const box: ConflictBox = { lastVersionSeen: -1 };
    try {
      const stored = await this.policy.execute(({ attempt }) => this.attempt(repository, id, mutate, attempt, box, options), options.signal);
      this.counters.succeeded += 1;
      return stored;
    } catch (error) {
      if (RetryExhaustedError.is(error)) {
        this.counters.exhausted += 1;
        throw new MaxRetriesExceededError(id, error.attempts, box.lastVersionSeen, { cause: error.lastError });
      }
      if (EntityNotFoundError.is(error)) this.counters.notFound += 1;
      throw error;
    }
  }

  /** Counters since creation. */
  getStats(): OptimisticLockStats {
    return { ...this.counters };
  }

  private async attempt<T extends Versioned>(
    repository: VersionedRepository<T>,
    id: string,
    mutate: EntityMutation<T>,
    attempt: number,
    box: ConflictBox,
    options: OptimisticUpdateOptions,
  ): Promise<T> {
    this.counters.attempts += 1;
    const current = await repository.findById(id);
    if (current === null) throw options.notFound?.(id) ?? new EntityNotFoundError('Entity', id);
    const expectedVersion = current.version;
    box.lastVersionSeen = expectedVersion;
    const changed = (await mutate(current, attempt)) ?? current;
    const result = await repository.updateWithVersion(id, changed, expectedVersion);
    if (result.success) {
      if (result.entity !== null) return result.entity;
      // A repository following the spec's example may return success without the entity: read it back.
      const reread = await repository.findById(id);
      if (reread === null) throw options.notFound?.(id) ?? new EntityNotFoundError('Entity', id);
      return reread;
    }
    this.counters.conflicts += 1;
    throw new VersionConflictError(id, expectedVersion);
  }
}
