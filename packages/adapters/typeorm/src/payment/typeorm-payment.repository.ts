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
import { rowLimit, wholeMs } from '../sql/epoch-ms';
import { SqlSession, type SqlExecutor } from '../sql/sql-session';
import { uniqueViolation } from '../sql/unique-violation';
import { OutboxWriter } from './outbox-writer';
import {
  ATTEMPT_FIELDS,
  attemptParameters,
  PAYMENT_COLUMNS,
  paymentParameters,
  REFUND_FIELDS,
  refundParameters,
  toSnapshot,
  type PaymentRowWithChildren,
} from './payment-row.mapper';

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
    readonly insertPayment: string;
    readonly insertAttempt: string;
    readonly insertRefund: string;
    readonly casUpdate: string;
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
    const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');
    const select = this.session.dialect === 'postgres' ? postgresSelect(t) : sqliteSelect(t);
    this.sql = {
      insertPayment: `INSERT INTO ${t('payments')} (${PAYMENT_COLUMNS.join(', ')}) VALUES (${placeholders(PAYMENT_COLUMNS.length)})`,
      insertAttempt:
        `INSERT INTO ${t('payment_attempts')} (payment_id, attempt_number, gateway, reference, outcome, gateway_reference, ` +
        `decline_code, decline_type, error_code, latency_ms, at) VALUES (${placeholders(11)})`,
      insertRefund:
        `INSERT INTO ${t('payment_refunds')} (id, payment_id, position, amount, idempotency_key, gateway_reference, reason, created_at) ` +
        `VALUES (${placeholders(8)})`,
      casUpdate:
        `UPDATE ${t('payments')} SET ${PAYMENT_COLUMNS.slice(1)
          .map((column) => (column === 'version' ? 'version = version + 1' : `${column} = ?`))
          .join(', ')} WHERE id = ? AND version = ?`,
      version: `SELECT version FROM ${t('payments')} WHERE id = ?`,
      childCounts:
        `SELECT (SELECT COUNT(*) FROM ${t('payment_attempts')} WHERE payment_id = ?) AS attempts, ` +
        `(SELECT COUNT(*) FROM ${t('payment_refunds')} WHERE payment_id = ?) AS refunds`,
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
        await tx.run(this.sql.insertPayment, paymentParameters(snapshot, 1));
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
      const parameters = paymentParameters(snapshot, expectedVersion + 1).slice(1).filter((_, index) => PAYMENT_COLUMNS[index + 1] !== 'version');
      const { affected } = await tx.run(this.sql.casUpdate, [...parameters, id, expectedVersion]);
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
    for (const attempt of attempts.slice(storedAttempts)) await tx.run(this.sql.insertAttempt, attemptParameters(paymentId, attempt));
    for (let position = storedRefunds; position < refunds.length; position += 1) {
      await tx.run(this.sql.insertRefund, refundParameters(paymentId, position, refunds[position] as Payment['refunds'][number]));
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

/*
 * Attempts and refunds come back as JSON arrays of positional arrays (smaller and faster to parse
 * than objects): the column order is the one of ATTEMPT_FIELDS and REFUND_FIELDS in the mapper.
 */
function postgresSelect(t: (name: string) => string): string {
  return (
    'SELECT p.*, ' +
    `COALESCE((SELECT json_agg(json_build_array(${ATTEMPT_FIELDS.map((f) => `a.${f}`).join(', ')}) ORDER BY a.attempt_number) ` +
    `FROM ${t('payment_attempts')} a WHERE a.payment_id = p.id), '[]'::json) AS attempts, ` +
    `COALESCE((SELECT json_agg(json_build_array(${REFUND_FIELDS.map((f) => `r.${f}`).join(', ')}) ORDER BY r.position) ` +
    `FROM ${t('payment_refunds')} r WHERE r.payment_id = p.id), '[]'::json) AS refunds ` +
    `FROM ${t('payments')} p`
  );
}

function sqliteSelect(t: (name: string) => string): string {
  return (
    'SELECT p.*, ' +
    `(SELECT json_group_array(json_array(${ATTEMPT_FIELDS.map((f) => `a.${f}`).join(', ')}) ORDER BY a.attempt_number) ` +
    `FROM ${t('payment_attempts')} a WHERE a.payment_id = p.id) AS attempts, ` +
    `(SELECT json_group_array(json_array(${REFUND_FIELDS.map((f) => `r.${f}`).join(', ')}) ORDER BY r.position) ` +
    `FROM ${t('payment_refunds')} r WHERE r.payment_id = p.id) AS refunds ` +
    `FROM ${t('payments')} p`
  );
}
