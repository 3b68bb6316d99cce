import { AegisPayError } from '@aegispay/domain';

/**
 * A conditional update found the entity in another status than the one it required
 * (`LOCKING.UNEXPECTED_STATUS`). Nothing was written. This is a business check, not a version
 * conflict: it is not retried.
 */
export class UnexpectedStatusError extends AegisPayError {
  constructor(
    readonly entityId: string,
    /** The status the update required. */
    readonly expectedStatus: string,
    /** The status the entity was in. */
    readonly actualStatus: string,
  ) {
    super(
      'LOCKING.UNEXPECTED_STATUS',
      `${entityId} is ${actualStatus}, not ${expectedStatus} as the update required; nothing was changed. Re-read it before deciding what to do.`,
      { details: { entityId, expectedStatus, actualStatus } },
    );
  }
}
