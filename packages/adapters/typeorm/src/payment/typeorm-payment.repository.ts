import {
  DuplicateEntityError,
  normalizePaymentPageQuery,
  Payment,
  PaymentNotFoundError,
  SystemClock,
  ValidationError,
  type Clock,
  type FindByStatusOptions,
  type FindPendingRefundsOptions,
  type PaymentDependencies,
  type PaymentPage,
  type PaymentPageQuery,
  type PaymentRepository,
  type PaymentStatus,
  type UpdateResult,
} from '@aegispay/domain';
import type { DataSource } from 'typeorm';
import { PAYMENT_ATTEMPTS, PAYMENT_REFUNDS, PAYMENTS, type PaymentRecord } from '../schema/tables';
import { rowLimit, wholeMs } from '../sql/epoch-ms';
import { SqlSession, type SqlExecutor } from '../sql/sql-session';
import { compareAndSwapStatement, insertStatement, upsertStatement, type Statement } from '../sql/table-sql';
import { uniqueViolation } from '../sql/unique-violation';
import { OutboxWriter } from './outbox-writer';
import { paymentSelect, toSnapshot, type PaymentRowWithChildren } from './payment-row.mapper';

/** Options of {@link TypeOrmPaymentRepository}. */
export interface TypeOrmPaymentRepositoryOptions {
  /** Given to payments read back (their clock and id generator for later changes). Defaults to the domain's system ones. */
  readonly dependencies?: PaymentDependencies;
  /** Timestamps outbox rows. Defaults to `SystemClock`. */
  readonly clock?: Clock;
}

/**
 * The children a stored copy of a payment is known to have in the database, so that an update
 * writes only the new ones and those the domain replaced (an attempt settled, a refund answered):
 * the aggregate replaces a changed child with a new frozen object and keeps the others, so identity
 * tells which changed.
 */
interface StoredShape {
  readonly version: number;
  readonly attempts: Payment['attempts'];
  readonly refunds: Payment['refunds'];
}

type Attempt = Payment['attempts'][number];
type StoredRefund = Payment['refunds'][number];

/**
 * The payment repository over TypeORM (SQLite or PostgreSQL).
 *
 * - `updateWithVersion` is one compare-and-swap,
 *   `UPDATE payments SET …, version = version + 1 WHERE id = ? AND version = ?`, whose affected-row
 *   count decides: 1 row is success, 0 rows is a conflict (or `PaymentNotFoundError` when no row
 *   has the id). TypeORM's `save()` is never used: with a version column it overwrites silently.
 * - The payment row, its new attempts and refunds, and the events pulled from it go into one
 *   transaction (inside a `TypeOrmUnitOfWork`, a savepoint of its transaction): they commit together
 *   or not at all. A conflict writes nothing and leaves the events on the payment.
 * - Reads are one statement (attempts and refunds aggregated as JSON), so a payment is never read
 *   half-way through someone else's commit.
 *
 * The SQL is hand-written and runs through TypeORM's query runners (`SqlSession`): the hot path
 * avoids the query builder's cost, and the mapping lives in the entity schemas and migrations.
 */
export class TypeOrmPaymentRepository implements PaymentRepository {
  private readonly session: SqlSession;
  private readonly outbox: OutboxWriter;
  private readonly dependencies: PaymentDependencies | undefined;
  private readonly clock: Clock;
  private readonly shapes = new WeakMap<Payment, StoredShape>();
  private readonly sql: {
    readonly insertPayment: Statement<[payment: PaymentRecord, context: void]>;
    readonly upsertAttempt: Statement<[attempt: Attempt, parent: { readonly paymentId: string }]>;
    readonly upsertRefund: Statement<[refund: StoredRefund, parent: { readonly paymentId: string; readonly position: number }]>;
    readonly casUpdate: Statement<[payment: PaymentRecord, expectedVersion: number]>;
    readonly version: string;
    readonly withPendingRefunds: string;
    readonly byId: string;
    readonly byIdempotencyKey: string;
    readonly byStatus: string;
    readonly byStatusUpdatedBefore: string;
    readonly select: string;
  };

  constructor(dataSource: DataSource, options: TypeOrmPaymentRepositoryOptions = {}) {
    this.session = SqlSession.of(dataSource);
    this.outbox = new OutboxWriter(this.session);
    this.dependencies = options.dependencies;
    this.clock = options.clock ?? new SystemClock();
    const t = (name: string): string => this.session.table(name);
    const select = paymentSelect(t, this.session.dialect);
    this.sql = {
      insertPayment: insertStatement(PAYMENTS, t(PAYMENTS.name)),
      upsertAttempt: upsertStatement(PAYMENT_ATTEMPTS, t(PAYMENT_ATTEMPTS.name)),
      upsertRefund: upsertStatement(PAYMENT_REFUNDS, t(PAYMENT_REFUNDS.name)),
      casUpdate: compareAndSwapStatement(PAYMENTS, t(PAYMENTS.name)),
      version: `SELECT version FROM ${t(PAYMENTS.name)} WHERE id = ?`,
      // The partial index ix_payment_refunds_pending serves the inner query.
      withPendingRefunds:
        `${select} JOIN (SELECT payment_id, MIN(created_at) AS oldest FROM ${t(PAYMENT_REFUNDS.name)} ` +
        `WHERE status = 'PENDING' AND created_at < ? GROUP BY payment_id) pending ON pending.payment_id = p.id ORDER BY pending.oldest, p.id LIMIT ?`,
      byId: `${select} WHERE p.id = ?`,
      byIdempotencyKey: `${select} WHERE p.merchant_id = ? AND p.idempotency_key = ?`,
      byStatus: `${select} WHERE p.status = ? ORDER BY p.updated_at, p.id LIMIT ?`,
      byStatusUpdatedBefore: `${select} WHERE p.status = ? AND p.updated_at < ? ORDER BY p.updated_at, p.id LIMIT ?`,
      select,
    };
  }

  async findById(id: string): Promise<Payment | null> {
    const [row] = await this.session.rows<PaymentRowWithChildren>(this.sql.byId, [id]);
    return row === undefined ? null : this.rehydrate(row);
  }

  async findByIdempotencyKey(merchantId: string, idempotencyKey: string): Promise<Payment | null> {
    const [row] = await this.session.rows<PaymentRowWithChildren>(this.sql.byIdempotencyKey, [merchantId, idempotencyKey]);
    return row === undefined ? null : this.rehydrate(row);
  }

  /**
   * Payments in `status`, oldest update first. A fractional `updatedBefore` is rounded up: stored
   * times are whole milliseconds, and `updated_at < ceil(t)` is exactly `updated_at < t`.
   *
   * @throws ValidationError `REPOSITORY.INVALID_QUERY` for a limit that is not a whole number ≥ 0
   *   or an `updatedBefore` that is not a finite number.
   */
  async findByStatus(status: PaymentStatus, options: FindByStatusOptions = {}): Promise<readonly Payment[]> {
    const limit = rowLimit(options.limit ?? 100, 'limit', 'REPOSITORY.INVALID_QUERY');
    const before = options.updatedBefore === undefined ? undefined : queryTime(options.updatedBefore);
    const rows =
      before === undefined
        ? await this.session.rows<PaymentRowWithChildren>(this.sql.byStatus, [status, limit])
        : await this.session.rows<PaymentRowWithChildren>(this.sql.byStatusUpdatedBefore, [status, before, limit]);
    return rows.map((row) => this.rehydrate(row));
  }

  /**
   * Payments with a refund still `PENDING` requested before `requestedBefore`, the oldest pending
   * refund first (rounded up like `findByStatus`).
   * @throws ValidationError `REPOSITORY.INVALID_QUERY` for a bad limit or instant.
   */
  async findWithPendingRefunds(options: FindPendingRefundsOptions = {}): Promise<readonly Payment[]> {
    const limit = rowLimit(options.limit ?? 100, 'limit', 'REPOSITORY.INVALID_QUERY');
    const before = options.requestedBefore === undefined ? Number.MAX_SAFE_INTEGER : queryTime(options.requestedBefore, 'requestedBefore');
    const rows = await this.session.rows<PaymentRowWithChildren>(this.sql.withPendingRefunds, [before, limit]);
    return rows.map((row) => this.rehydrate(row));
  }

  /**
   * A page of a merchant's payments, newest first: one statement, `WHERE merchant_id = ? [AND
   * <filters>] [AND (created_at, id) < (cursor)] ORDER BY created_at DESC, id DESC LIMIT n + 1`
   * (the extra row tells whether there is a next page). An index of `(merchant_id, created_at, id)`,
   * and one per equality filter with the same tail, is read backwards in page order: the database
   * reads about `limit` rows whatever the table holds (see the migration `PaymentListingIndexes`).
   * @throws ValidationError `REPOSITORY.INVALID_QUERY` for a malformed query.
   */
  async findPage(query: PaymentPageQuery): Promise<PaymentPage> {
    const { sql, parameters, limit } = paymentPageStatement(this.sql.select, query);
    const rows = await this.session.rows<PaymentRowWithChildren>(sql, parameters);
    const payments = rows.slice(0, limit).map((row) => this.rehydrate(row));
    const last = payments[payments.length - 1];
    return { payments, next: rows.length > limit && last !== undefined ? { createdAt: last.createdAt.getTime(), id: last.id } : null };
  }

  /** @throws DuplicateEntityError when the id, or the merchant's idempotency key, is taken. */
  async insert(payment: Payment): Promise<Payment> {
    const snapshot = payment.toSnapshot();
    const events = payment.peekEvents();
    try {
      await this.session.transaction(async (tx) => {
        await tx.run(this.sql.insertPayment.sql, this.sql.insertPayment.parameters({ ...snapshot, version: 1 }, undefined));
        await this.writeChildren(tx, snapshot.id, snapshot, undefined);
        await this.outbox.append(tx, events, this.clock.now());
      });
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === undefined) throw error;
      const byKey = constraint.includes('idempotency_key');
      throw new DuplicateEntityError('Payment', byKey ? `${snapshot.merchantId}/${snapshot.idempotencyKey ?? ''}` : snapshot.id);
    }
    payment.pullEvents();
    return this.stored(payment, 1);
  }

  async updateWithVersion(id: string, payment: Payment, expectedVersion: number): Promise<UpdateResult<Payment>> {
    if (payment.id !== id) {
      throw new ValidationError('REPOSITORY.ID_MISMATCH', 'id', `updateWithVersion was asked to write payment ${payment.id} under id ${id}.`);
    }
    // Not a conflict: no stored version can ever match it, so retrying would only spin.
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw new ValidationError('REPOSITORY.INVALID_VERSION', 'expectedVersion', `expectedVersion must be a whole number ≥ 0, got ${String(expectedVersion)}.`);
    }
    const snapshot = payment.toSnapshot();
    const events = payment.peekEvents();
    const known = this.shapes.get(payment);
    const written = await this.session.transaction(async (tx) => {
      const { affected } = await tx.run(this.sql.casUpdate.sql, this.sql.casUpdate.parameters(snapshot, expectedVersion));
      if (affected === 0) {
        const [row] = await tx.rows<{ version: number }>(this.sql.version, [id]);
        if (row === undefined) throw new PaymentNotFoundError(id);
        return false;
      }
      await this.writeChildren(tx, id, snapshot, known !== undefined && known.version === expectedVersion ? known : undefined);
      await this.outbox.append(tx, events, this.clock.now());
      return true;
    });
    if (!written) {
      return { success: false, entity: null, previousVersion: expectedVersion, newVersion: expectedVersion, conflictDetected: true };
    }
    payment.pullEvents();
    return {
      success: true,
      entity: this.stored(payment, expectedVersion + 1),
      previousVersion: expectedVersion,
      newVersion: expectedVersion + 1,
      conflictDetected: false,
    };
  }

  /**
   * Writes the children that are new or were replaced since `known` (all of them when what is stored
   * is not known: a payment built elsewhere). A child is written whole, over the stored row.
   */
  private async writeChildren(tx: SqlExecutor, paymentId: string, snapshot: Pick<Payment, 'attempts' | 'refunds'>, known: StoredShape | undefined): Promise<void> {
    const { attempts, refunds } = snapshot;
    if (known !== undefined && (attempts.length < known.attempts.length || refunds.length < known.refunds.length)) {
      // Attempts and refunds are never removed in the domain: fewer than stored means a corrupt copy.
      throw new ValidationError('REPOSITORY.CHILDREN_REMOVED', 'attempts', `Payment ${paymentId} has fewer attempts or refunds than stored; re-read it.`);
    }
    const { upsertAttempt, upsertRefund } = this.sql;
    for (let index = 0; index < attempts.length; index += 1) {
      const attempt = attempts[index] as Attempt;
      if (known?.attempts[index] !== attempt) await tx.run(upsertAttempt.sql, upsertAttempt.parameters(attempt, { paymentId }));
    }
    for (let position = 0; position < refunds.length; position += 1) {
      const refund = refunds[position] as StoredRefund;
      if (known?.refunds[position] !== refund) await tx.run(upsertRefund.sql, upsertRefund.parameters(refund, { paymentId, position }));
    }
  }

  private rehydrate(row: PaymentRowWithChildren): Payment {
    const snapshot = toSnapshot(row);
    const payment = this.dependencies === undefined ? Payment.rehydrate(snapshot) : Payment.rehydrate(snapshot, this.dependencies);
    this.shapes.set(payment, { version: snapshot.version, attempts: payment.attempts, refunds: payment.refunds });
    return payment;
  }

  private stored(payment: Payment, version: number): Payment {
    const copy = payment.withVersion(version);
    this.shapes.set(copy, { version, attempts: copy.attempts, refunds: copy.refunds });
    return copy;
  }
}

/**
 * The statement of a page query (checked with `normalizePaymentPageQuery`): `select` completed with
 * the merchant, the filters, the cursor, the page order and a limit one above the page's, so that
 * the extra row tells whether there is a next page. Exported for the query-plan test.
 * @throws ValidationError `REPOSITORY.INVALID_QUERY` for a malformed query.
 */
export function paymentPageStatement(select: string, query: PaymentPageQuery): { readonly sql: string; readonly parameters: unknown[]; readonly limit: number } {
  const { merchantId, filter, after, limit } = normalizePaymentPageQuery(query);
  const conditions = ['p.merchant_id = ?'];
  const parameters: unknown[] = [merchantId];
  const where = (condition: string, ...values: unknown[]): void => {
    conditions.push(condition);
    parameters.push(...values);
  };
  if (filter.status !== undefined) where('p.status = ?', filter.status);
  if (filter.customerId !== undefined) where('p.customer_id = ?', filter.customerId);
  if (filter.gateway !== undefined) where('p.gateway = ?', filter.gateway);
  if (filter.createdFrom !== undefined) where('p.created_at >= ?', filter.createdFrom);
  if (filter.createdBefore !== undefined) where('p.created_at < ?', filter.createdBefore);
  // A row value: both databases read it as a range of the index from the cursor on.
  if (after !== undefined) where('(p.created_at, p.id) < (?, ?)', after.createdAt, after.id);
  return { sql: `${select} WHERE ${conditions.join(' AND ')} ORDER BY p.created_at DESC, p.id DESC LIMIT ?`, parameters: [...parameters, limit + 1], limit };
}

function queryTime(instant: number, field = 'updatedBefore'): number {
  if (typeof instant !== 'number' || !Number.isFinite(instant)) {
    throw new ValidationError('REPOSITORY.INVALID_QUERY', field, `${field} must be a finite number of epoch milliseconds, got ${String(instant)}.`);
  }
  return wholeMs(instant, field, 'ceil');
}
