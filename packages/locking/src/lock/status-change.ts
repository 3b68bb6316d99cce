import { assertTransition, isPaymentStatus, Payment, type PaymentStatus, type Versioned } from '@aegispay/domain';
import { StatusChangeNeedsDetailsError } from '../errors/status-change-needs-details.error';

/** An entity with a status that `VersionedPaymentService` can change. */
export interface StatusEntity extends Versioned {
  readonly status: string;
}

/** How `updateStatus` changes an entity's status: returns the changed entity, or nothing when it changed it in place. */
export type StatusChange<T extends StatusEntity> = (entity: T, status: T['status']) => T | void;

const DETAILS_NEEDED: Partial<Record<PaymentStatus, string>> = {
  PAID: 'markSucceeded({ gateway, gatewayReference })',
  FAILED: 'markFailed({ code, reason })',
  REQUIRES_ACTION: "requireAction('3ds')",
  PARTIALLY_REFUNDED: 'refund({ amount, gatewayReference })',
  REFUNDED: 'refund({ gatewayReference })',
};

/**
 * The default {@link StatusChange}.
 *
 * - A `Payment` changes through its domain operations, so its events are recorded:
 *   `PROCESSING` → `startProcessing()`, `CANCELLED` → `cancel(…)`. Statuses that need more than a
 *   status (`PAID` needs the capture, a refund its amount and gateway reference) throw
 *   {@link StatusChangeNeedsDetailsError}: use `update()` with the domain operation.
 * - Any other entity is copied with the new status. When both statuses are payment statuses the
 *   payment state machine is enforced (`IllegalStateTransitionError`).
 */
export function defaultStatusChange<T extends StatusEntity>(entity: T, status: T['status']): T | void {
  if (entity instanceof Payment) {
    if (!isPaymentStatus(status)) {
      throw new StatusChangeNeedsDetailsError(entity.id, status, 'a domain operation');
    }
    assertTransition(entity.status, status, entity.id);
    if (status === 'PROCESSING') entity.startProcessing();
    else if (status === 'CANCELLED') entity.cancel('Cancelled through updateStatus');
    else throw new StatusChangeNeedsDetailsError(entity.id, status, DETAILS_NEEDED[status] ?? 'a domain operation');
    return;
  }
  if (isPaymentStatus(entity.status) && isPaymentStatus(status)) assertTransition(entity.status, status, entity.id);
  return { ...entity, status };
}
