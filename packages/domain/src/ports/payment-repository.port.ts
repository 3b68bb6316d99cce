import type { Payment } from '../payment/payment.aggregate';
import type { PaymentStatus } from '../payment/payment-status';
import type { PaymentPage, PaymentPageQuery } from './payment-page';
import type { VersionedRepository } from './versioned-repository.port';

/** Filter for {@link PaymentRepository.findByStatus}. */
export interface FindByStatusOptions {
  /** Only payments whose last update is older than this instant (epoch ms). */
  readonly updatedBefore?: number;
  /** At most this many, oldest update first. Defaults to 100. */
  readonly limit?: number;
}

/** Filter for {@link PaymentRepository.findWithPendingRefunds}. */
export interface FindPendingRefundsOptions {
  /** Only payments with a refund still `PENDING` that was requested before this instant (epoch ms). */
  readonly requestedBefore?: number;
  /** At most this many, the oldest pending refund first. Defaults to 100. */
  readonly limit?: number;
}

/**
 * Persistence of payments. `insert` and `updateWithVersion` also store the events pulled from the
 * aggregate (a transactional outbox): the payment row and its events commit together or not at all.
 */
export interface PaymentRepository extends VersionedRepository<Payment> {
  /** The payment a merchant created with this idempotency key, if any. */
  findByIdempotencyKey(merchantId: string, idempotencyKey: string): Promise<Payment | null>;
  /** Payments in `status`, oldest update first (used by recovery to find stuck payments). */
  findByStatus(status: PaymentStatus, options?: FindByStatusOptions): Promise<readonly Payment[]>;
  /** Payments with a refund still `PENDING` (used by recovery to settle refunds whose answer was lost). */
  findWithPendingRefunds(options?: FindPendingRefundsOptions): Promise<readonly Payment[]>;
  /**
   * One page of a merchant's payments, newest first (ties by id, descending), filtered; what an
   * API lists. A database answers it from an index whose order is the page order, so a page costs
   * the same however many payments are stored. Queries are checked with `normalizePaymentPageQuery`.
   *
   * @throws ValidationError `REPOSITORY.INVALID_QUERY` for a malformed query.
   */
  findPage(query: PaymentPageQuery): Promise<PaymentPage>;
}
