import {
  comparePaymentPageKeys,
  DuplicateEntityError,
  matchesPaymentFilter,
  normalizePaymentPageQuery,
  paymentPageKey,
  PaymentNotFoundError,
  SystemClock,
  type Clock,
  type FindByStatusOptions,
  type FindPendingRefundsOptions,
  type Payment,
  type PaymentPage,
  type PaymentPageQuery,
  type PaymentRepository,
  type PaymentStatus,
  type UpdateResult,
  ValidationError,
} from '@aegispay/domain';
import { paymentCodec } from './entity-codec';
import { InMemoryOutboxStore } from './in-memory-outbox.store';
import { recordUndo } from './in-memory-transaction';
import { InMemoryVersionedRepository } from './in-memory-versioned.repository';

/** Options of {@link InMemoryPaymentRepository}. */
export interface InMemoryPaymentRepositoryOptions {
  /** Where the events pulled from payments go. Defaults to a new `InMemoryOutboxStore` on `clock`. */
  readonly outbox?: InMemoryOutboxStore;
  /** Timestamps outbox messages when no `outbox` is given. Defaults to `SystemClock`. */
  readonly clock?: Clock;
}

/**
 * A {@link PaymentRepository} in memory, with its transactional outbox: a successful `insert` or
 * `updateWithVersion` pulls the payment's events into {@link outbox} in the same synchronous step
 * (and inside an `InMemoryUnitOfWork`, the same transaction). A write that conflicts stores
 * nothing and leaves the events on the payment.
 *
 * `(merchantId, idempotencyKey)` is unique, as in the database.
 */
export class InMemoryPaymentRepository implements PaymentRepository {
  /** The outbox the payments' events are written to. */
  readonly outbox: InMemoryOutboxStore;
  private readonly payments = new InMemoryVersionedRepository<Payment>({
    codec: paymentCodec(),
    entityName: 'Payment',
    notFound: (id) => new PaymentNotFoundError(id),
  });
  private readonly byIdempotencyKey = new Map<string, string>();

  constructor(options: InMemoryPaymentRepositoryOptions = {}) {
    this.outbox = options.outbox ?? new InMemoryOutboxStore({ clock: options.clock ?? new SystemClock() });
  }

  /** Number of stored payments. */
  get size(): number {
    return this.payments.size;
  }

  async findById(id: string): Promise<Payment | null> {
    return this.payments.findById(id);
  }

  /** @throws DuplicateEntityError when the id, or the merchant's idempotency key, is taken. */
  async insert(payment: Payment): Promise<Payment> {
    const key = payment.idempotencyKey === null ? undefined : indexKey(payment.merchantId, payment.idempotencyKey);
    if (key !== undefined && this.byIdempotencyKey.has(key)) {
      throw new DuplicateEntityError('Payment', `${payment.merchantId}/${payment.idempotencyKey ?? ''}`);
    }
    const stored = this.payments.insertNow(payment);
    if (key !== undefined) {
      this.byIdempotencyKey.set(key, payment.id);
      recordUndo(() => this.byIdempotencyKey.delete(key));
    }
    this.outbox.append(payment.pullEvents());
    return stored;
  }

  async updateWithVersion(id: string, payment: Payment, expectedVersion: number): Promise<UpdateResult<Payment>> {
    const result = this.payments.updateNow(id, payment, expectedVersion);
    if (result.success) this.outbox.append(payment.pullEvents());
    return result;
  }

  async findByIdempotencyKey(merchantId: string, idempotencyKey: string): Promise<Payment | null> {
    const id = this.byIdempotencyKey.get(indexKey(merchantId, idempotencyKey));
    return id === undefined ? null : this.payments.findById(id);
  }

  /**
   * Payments in `status`, oldest update first.
   * @throws ValidationError `REPOSITORY.INVALID_QUERY` for a limit that is not a whole number ≥ 0
   *   or an `updatedBefore` that is not a finite number.
   */
  async findByStatus(status: PaymentStatus, options: FindByStatusOptions = {}): Promise<readonly Payment[]> {
    const limit = queryLimit(options.limit);
    queryInstant('updatedBefore', options.updatedBefore);
    const matches: Payment[] = [];
    for (const payment of this.payments.storedValues()) {
      if (payment.status !== status) continue;
      if (options.updatedBefore !== undefined && payment.updatedAt.getTime() >= options.updatedBefore) continue;
      matches.push(payment);
    }
    matches.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return matches.slice(0, limit).map((payment) => payment.withVersion(payment.version));
  }

  async findWithPendingRefunds(options: FindPendingRefundsOptions = {}): Promise<readonly Payment[]> {
    const limit = queryLimit(options.limit);
    const before = queryInstant('requestedBefore', options.requestedBefore);
    const matches: { payment: Payment; oldest: string }[] = [];
    for (const payment of this.payments.storedValues()) {
      const pending = payment.refunds.filter((refund) => refund.status === 'PENDING' && (before === undefined || Date.parse(refund.createdAt) < before));
      const oldest = pending.map((refund) => refund.createdAt).sort()[0];
      if (oldest !== undefined) matches.push({ payment, oldest });
    }
    matches.sort((a, b) => (a.oldest < b.oldest ? -1 : a.oldest > b.oldest ? 1 : a.payment.id < b.payment.id ? -1 : 1));
    return matches.slice(0, limit).map(({ payment }) => payment.withVersion(payment.version));
  }

  /**
   * A page of a merchant's payments, newest first. Scans every stored payment (this repository is
   * for tests and demos; the database ones answer from an index).
   * @throws ValidationError `REPOSITORY.INVALID_QUERY` for a malformed query.
   */
  async findPage(query: PaymentPageQuery): Promise<PaymentPage> {
    const { merchantId, filter, after, limit } = normalizePaymentPageQuery(query);
    const matches: Payment[] = [];
    for (const payment of this.payments.storedValues()) {
      if (!matchesPaymentFilter(payment, merchantId, filter)) continue;
      if (after !== undefined && comparePaymentPageKeys(paymentPageKey(payment), after) <= 0) continue;
      matches.push(payment);
    }
    matches.sort((a, b) => comparePaymentPageKeys(paymentPageKey(a), paymentPageKey(b)));
    const page = matches.slice(0, limit);
    const last = page[page.length - 1];
    return {
      payments: page.map((payment) => payment.withVersion(payment.version)),
      next: matches.length > limit && last !== undefined ? paymentPageKey(last) : null,
    };
  }
}

function queryLimit(limit: number | undefined = 100): number {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new ValidationError('REPOSITORY.INVALID_QUERY', 'limit', `limit must be a whole number of rows ≥ 0, got ${String(limit)}.`);
  }
  return limit;
}

function queryInstant(field: string, value: number | undefined): number | undefined {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    throw new ValidationError('REPOSITORY.INVALID_QUERY', field, `${field} must be a finite number of epoch milliseconds, got ${String(value)}.`);
  }
  return value;
}

function indexKey(merchantId: string, idempotencyKey: string): string {
  return `${merchantId}\u0000${idempotencyKey}`;
}
