import type { PaymentStatus, RefundStatus } from '@aegispay/domain';

/**
 * What applying one gateway notification (a verified webhook) came to. Every kind but `DEFERRED`
 * is final for that notification: the gateway may stop delivering it.
 */
export type NotificationOutcome =
  /** The notification settled a charge or a refund that was waiting for it. */
  | {
      readonly kind: 'APPLIED';
      readonly eventId: string;
      readonly paymentId: string;
      readonly paymentStatus: PaymentStatus;
      /** The refund it settled, for a refund notification. */
      readonly refund?: { readonly id: string; readonly status: RefundStatus };
    }
  /** Our records already say what the notification says (or it tells nothing to act on: still pending). */
  | { readonly kind: 'NO_CHANGE'; readonly eventId: string; readonly paymentId: string; readonly reason: string }
  /** A notification with this event id was applied before: nothing was done again. */
  | { readonly kind: 'DUPLICATE'; readonly eventId: string }
  /** No payment, attempt or refund of ours matches it (another system on the same account, or a test event). */
  | { readonly kind: 'UNMATCHED'; readonly eventId: string; readonly reason: string }
  /**
   * The charge it is about is being sent right now (or another delivery of the same event is being
   * applied): nothing was done, and the gateway should deliver it again later.
   */
  | { readonly kind: 'DEFERRED'; readonly eventId: string; readonly paymentId: string | null; readonly reason: string }
  /**
   * The gateway says something our settled record contradicts (a charge captured on a payment
   * stored `FAILED`, a refund made that we recorded as refused). Nothing was changed: a person must
   * reconcile it. Reported through `onError` too.
   */
  | { readonly kind: 'DISCREPANCY'; readonly eventId: string; readonly paymentId: string; readonly reason: string };

/** The kinds of {@link NotificationOutcome}. */
export type NotificationOutcomeKind = NotificationOutcome['kind'];
