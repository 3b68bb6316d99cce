import {
  DuplicateEntityError,
  Payment,
  PaymentNotFoundError,
  SystemClock,
  ValidationError,
  type Clock,
  type FindByStatusOptions,
  type PaymentDependencies,
  type PaymentRepository,
  type PaymentStatus,
  type UpdateResult,
} from '@aegispay/domain';
import type { DataSource } from 'typeorm';
import { PAYMENT_ATTEMPTS, PAYMENT_REFUNDS, PAYMENTS, type PaymentRecord } from '../schema/tables';
import { rowLimit, wholeMs } from '../sql/epoch-ms';
import { SqlSession, type SqlExecutor } from '../sql/sql-session';
import { compareAndSwapStatement, insertStatement, type Statement } from '../sql/table-sql';
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

/** What a stored copy of a payment is known to have in the database, so an update inserts only new children. */
interface StoredShape {
  readonly version: number;
  readonly attempts: number;
  readonly refunds: number;
}

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
    readonly insertAttempt: Statement<[attempt: Payment['attempts'][number], parent: { readonly paymentId: string }]>;
    readonly insertRefund: Statement<[refund: Payment['refunds'][number], parent: { readonly paymentId: string; readonly position: number }]>;
    readonly casUpdate: Statement<[payment: PaymentRecord, expectedVersion: number]>;
    readonly version: string;
    readonly childCounts: string;
    readonly byId: string;
    readonly byIdempotencyKey: string;
    readonly byStatus: string;
    readonly byStatusUpdatedBefore: string;
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
      insertAttempt: insertStatement(PAYMENT_ATTEMPTS, t(PAYMENT_ATTEMPTS.name)),
      insertRefund: insertStatement(PAYMENT_REFUNDS, t(PAYMENT_REFUNDS.name)),
      casUpdate: compareAndSwapStatement(PAYMENTS, t(PAYMENTS.name)),
      version: `SELECT version FROM ${t(PAYMENTS.name)} WHERE id = ?`,
      childCounts:
        `SELECT (SELECT COUNT(*) FROM ${t(PAYMENT_ATTEMPTS.name)} WHERE payment_id = ?) AS attempts, ` +
        `(SELECT COUNT(*) FROM ${t(PAYMENT_REFUNDS.name)} WHERE payment_id = ?) AS refunds`,
      byId: `${select} WHERE p.id = ?`,
      byIdempotencyKey: `${select} WHERE p.merchant_id = ? AND p.idempotency_key = ?`,
      byStatus: `${select} WHERE p.status = ? ORDER BY p.updated_at, p.id LIMIT ?`,
      byStatusUpdatedBefore: `${select} WHERE p.status = ? AND p.updated_at < ? ORDER BY p.updated_at, p.id LIMIT ?`,
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

  /** @throws DuplicateEntityError when the id, or the merchant's idempotency key, is taken. */
  async insert(payment: Payment): Promise<Payment> {
    const snapshot = payment.toSnapshot();
    const events = payment.peekEvents();
    try {
      await this.session.transaction(async (tx) => {
        await tx.run(this.sql.insertPayment.sql, this.sql.insertPayment.parameters({ ...snapshot, version: 1 }, undefined));
        await this.insertChildren(tx, snapshot.id, snapshot.attempts, 0, snapshot.refunds, 0);
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
      const shape = known !== undefined && known.version === expectedVersion ? known : await this.countChildren(tx, id);
      await this.insertChildren(tx, id, snapshot.attempts, shape.attempts, snapshot.refunds, shape.refunds);
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

  private async insertChildren(
    tx: SqlExecutor,
    paymentId: string,
    attempts: Payment['attempts'],
    storedAttempts: number,
    refunds: Payment['refunds'],
    storedRefunds: number,
  ): Promise<void> {
    if (attempts.length < storedAttempts || refunds.length < storedRefunds) {
      // Attempts and refunds are append-only in the domain: fewer than stored means a corrupt copy.
      throw new ValidationError('REPOSITORY.CHILDREN_REMOVED', 'attempts', `Payment ${paymentId} has fewer attempts or refunds than stored; re-read it.`);
    }
    const { insertAttempt, insertRefund } = this.sql;
    for (const attempt of attempts.slice(storedAttempts)) await tx.run(insertAttempt.sql, insertAttempt.parameters(attempt, { paymentId }));
    for (let position = storedRefunds; position < refunds.length; position += 1) {
      await tx.run(insertRefund.sql, insertRefund.parameters(refunds[position] as Payment['refunds'][number], { paymentId, position }));
    }
  }

  private async countChildren(tx: SqlExecutor, id: string): Promise<StoredShape> {
    const [row] = await tx.rows<{ attempts: number | string; refunds: number | string }>(this.sql.childCounts, [id, id]);
    return { version: -1, attempts: Number(row?.attempts ?? 0), refunds: Number(row?.refunds ?? 0) };
  }

  private rehydrate(row: PaymentRowWithChildren): Payment {
    const snapshot = toSnapshot(row);
    const payment = this.dependencies === undefined ? Payment.rehydrate(snapshot) : Payment.rehydrate(snapshot, this.dependencies);
    this.shapes.set(payment, { version: snapshot.version, attempts: snapshot.attempts.length, refunds: snapshot.refunds.length });
    return payment;
  }

  private stored(payment: Payment, version: number): Payment {
    const copy = payment.withVersion(version);
    this.shapes.set(copy, { version, attempts: copy.attempts.length, refunds: copy.refunds.length });
    return copy;
  }
}

function queryTime(updatedBefore: number): number {
  if (typeof updatedBefore !== 'number' || !Number.isFinite(updatedBefore)) {
    throw new ValidationError('REPOSITORY.INVALID_QUERY', 'updatedBefore', `updatedBefore must be a finite number of epoch milliseconds, got ${String(updatedBefore)}.`);
  }
  return wholeMs(updatedBefore, 'updatedBefore', 'ceil');
}
