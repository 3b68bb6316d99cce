import { AegisPayError } from '@aegispay/domain';

/**
 * Every attempt of an optimistic update lost its compare-and-swap (`LOCKING.MAX_RETRIES_EXCEEDED`).
 * Nothing was written by the last attempt. `cause` is the last {@link VersionConflictError}.
 *
 * This means the entity is written by many writers at once: raise `maxRetries`, spread the writes,
 * or look for a writer stuck in a loop.
 */
export class MaxRetriesExceededError extends AegisPayError {
  constructor(
    /** The entity that could not be updated. */
    readonly entityId: string,
    /** How many read-modify-write attempts were made (the first one included). */
    readonly attempts: number,
    /** The version the last attempt read and tried to replace. */
    readonly lastVersionSeen: number,
    options?: ErrorOptions,
  ) {
    super(
      'LOCKING.MAX_RETRIES_EXCEEDED',
      `Gave up updating ${entityId} after ${attempts} attempt${attempts === 1 ? '' : 's'}: every write conflicted with a concurrent one ` +
        `(last version seen: ${lastVersionSeen}). Retry later or raise maxRetries; this needs attention if it persists.`,
      { ...(options?.cause === undefined ? {} : { cause: options.cause }), details: { entityId, attempts, lastVersionSeen } },
    );
  }
}
