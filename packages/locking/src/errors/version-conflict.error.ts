import { AegisPayError } from '@aegispay/domain';

/**
 * A compare-and-swap write found another version than the one that was read
 * (`LOCKING.VERSION_CONFLICT`): someone else changed the entity in between. Re-read and retry;
 * {@link OptimisticLockManager} does it for you and raises {@link MaxRetriesExceededError} when
 * conflicts persist.
 */
export class VersionConflictError extends AegisPayError {
  constructor(
    /** The entity whose write lost the race. */
    readonly entityId: string,
    /** The version the write expected to replace. */
    readonly expectedVersion: number,
  ) {
    super(
      'LOCKING.VERSION_CONFLICT',
      `${entityId} was changed by another writer after version ${expectedVersion} was read; re-read it and apply the change again.`,
      { details: { entityId, expectedVersion } },
    );
  }
}
