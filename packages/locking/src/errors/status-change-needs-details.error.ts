import { AegisPayError } from '@aegispay/domain';

/**
 * `updateStatus` cannot move a `Payment` to this status on its own, because the domain needs more
 * than a status for it (`LOCKING.STATUS_NEEDS_DETAILS`): `PAID` needs the capture, `FAILED` a reason.
 * Use `update(id, payment => payment.markSucceeded({ … }))` with the domain operation instead.
 */
export class StatusChangeNeedsDetailsError extends AegisPayError {
  constructor(
    readonly entityId: string,
    readonly status: string,
    /** The domain operation to call through `update()`. */
    readonly operation: string,
  ) {
    super(
      'LOCKING.STATUS_NEEDS_DETAILS',
      `Moving payment ${entityId} to ${status} needs more than a status: use update(id, payment => payment.${operation}) instead of updateStatus.`,
      { details: { entityId, status, operation } },
    );
  }
}
