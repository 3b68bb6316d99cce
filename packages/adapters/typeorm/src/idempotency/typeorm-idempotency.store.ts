import {
  DEFAULT_IDEMPOTENCY_TTL_MS,
  IdempotencyKeyNotInProgressError,
  IdempotencyKeyReuseError,
  OptionChecks,
  SystemClock,
  type Clock,
  type IdempotencyBeginOptions,
  type IdempotencyBeginResult,
  type IdempotencyPeekResult,
  type IdempotencyStore,
} from '@aegispay/domain';
import type { DataSource } from 'typeorm';
import type { IdempotencyKeyRow } from '../schema/rows';
import { IDEMPOTENCY_KEYS } from '../schema/tables';
import { rowLimit, wholeMs } from '../sql/epoch-ms';
import { SqlSession } from '../sql/sql-session';

/** Options of {@link TypeOrmIdempotencyStore}. */
export interface TypeOrmIdempotencyStoreOptions {
  /** Judges expiry. Defaults to `SystemClock`. */
  readonly clock?: Clock;
  /** How long a key is kept when `begin` does not say (more than 0). Defaults to `DEFAULT_IDEMPOTENCY_TTL_MS` (24 hours). */
  readonly defaultTtlMs?: number;
  /**
   * How long a request may hold its key in progress before a retry with the same fingerprint may
   * take the key over (its process is presumed dead). Above 0. Defaults to none: a key stays in
   * progress until it expires. See the README before setting it: a slow owner that is still alive
   * can then be overtaken.
   */
  readonly inProgressLeaseMs?: number;
}

/** A racing request can delete or replace a row between our two statements; retrying a few times settles it. */
const MAX_BEGIN_ROUNDS = 5;

/**
 * The idempotency store over TypeORM. Keys are unique per merchant by the table's primary key,
 * and `begin` is one atomic statement:
 *
 * `INSERT … ON CONFLICT (merchant_id, idempotency_key) DO UPDATE … WHERE expires_at <= now`
 *
 * A new key (or an expired one, which is taken over, or with `inProgressLeaseMs` one left in
 * progress longer than the lease by a request with the same fingerprint) inserts a row and the
 * caller owns it; any other conflict changes nothing, and the stored row says whether the request is in progress,
 * completed (its response is replayed) or was made with another body (`IdempotencyKeyReuseError`).
 * Two concurrent requests, in any processes, cannot both own a key: the database's unique index
 * decides, not a prior read.
 */
export class TypeOrmIdempotencyStore implements IdempotencyStore {
  private readonly session: SqlSession;
  private readonly clock: Clock;
  private readonly defaultTtlMs: number;
  private readonly inProgressLeaseMs: number | undefined;
  private readonly sql: { claim: string; read: string; complete: string; release: string; purge: string };

  constructor(dataSource: DataSource, options: TypeOrmIdempotencyStoreOptions = {}) {
    this.session = SqlSession.of(dataSource);
    this.clock = options.clock ?? new SystemClock();
    this.defaultTtlMs = ttl('defaultTtlMs', options.defaultTtlMs, DEFAULT_IDEMPOTENCY_TTL_MS);
    this.inProgressLeaseMs = options.inProgressLeaseMs === undefined ? undefined : ttl('inProgressLeaseMs', options.inProgressLeaseMs, undefined);
    const table = this.session.table(IDEMPOTENCY_KEYS.name);
    this.sql = {
      claim:
        `INSERT INTO ${table} AS k (merchant_id, idempotency_key, fingerprint, state, response, created_at, expires_at, completed_at) ` +
        "VALUES (?, ?, ?, 'IN_PROGRESS', NULL, ?, ?, NULL) " +
        'ON CONFLICT (merchant_id, idempotency_key) DO UPDATE SET fingerprint = excluded.fingerprint, ' +
        "state = 'IN_PROGRESS', response = NULL, created_at = excluded.created_at, expires_at = excluded.expires_at, completed_at = NULL " +
        // created_at is when the current owner claimed the key; -1 as the bound disables takeovers.
        "WHERE k.expires_at <= ? OR (k.state = 'IN_PROGRESS' AND k.fingerprint = excluded.fingerprint AND k.created_at <= ?)",
      read: `SELECT fingerprint, state, response, created_at, expires_at FROM ${table} WHERE merchant_id = ? AND idempotency_key = ?`,
      complete:
        `UPDATE ${table} SET state = 'COMPLETED', response = ?, completed_at = ? ` +
        "WHERE merchant_id = ? AND idempotency_key = ? AND state = 'IN_PROGRESS' AND expires_at > ?",
      release: `DELETE FROM ${table} WHERE merchant_id = ? AND idempotency_key = ? AND state = 'IN_PROGRESS' AND expires_at > ?`,
      // At most `limit` keys, oldest expiry first, deleted by their physical row ids (PostgreSQL's
      // ctid: a TID scan; SQLite's rowid). The bound is repeated outside the subquery: a key claimed
      // again between the subquery's read and the delete (a new row version, its expiry moved on)
      // is kept. PostgreSQL skips keys locked by a claim in progress instead of waiting for them.
      purge:
        this.session.dialect === 'postgres'
          ? `DELETE FROM ${table} WHERE expires_at <= ? AND ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE expires_at <= ? ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED))`
          : `DELETE FROM ${table} WHERE expires_at <= ? AND rowid IN (SELECT rowid FROM ${table} WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`,
    };
  }

  async begin(merchantId: string, key: string, fingerprint: string, options: IdempotencyBeginOptions = {}): Promise<IdempotencyBeginResult> {
    const ttlMs = ttl('ttlMs', options.ttlMs, this.defaultTtlMs);
    for (let round = 1; ; round += 1) {
      const now = this.now();
      const staleBefore = this.inProgressLeaseMs === undefined ? -1 : now - this.inProgressLeaseMs;
      const { affected } = await this.session.run(this.sql.claim, [merchantId, key, fingerprint, now, now + ttlMs, now, staleBefore]);
      if (affected > 0) return { status: 'STARTED' };
      const [row] = await this.session.rows<Pick<IdempotencyKeyRow, 'fingerprint' | 'state' | 'response' | 'expires_at'>>(this.sql.read, [merchantId, key]);
      if (row !== undefined && Number(row.expires_at) > now) {
        if (row.fingerprint !== fingerprint) throw new IdempotencyKeyReuseError(merchantId, key);
        return row.state === 'COMPLETED' ? { status: 'COMPLETED', response: JSON.parse(row.response ?? 'null') as unknown } : { status: 'IN_PROGRESS' };
      }
      // The owner released the key, or it expired, between the two statements: claim again.
      if (round >= MAX_BEGIN_ROUNDS) return { status: 'IN_PROGRESS' };
    }
  }

  /** What the key holds, read without claiming it (one SELECT). */
  async peek(merchantId: string, key: string, fingerprint: string): Promise<IdempotencyPeekResult> {
    const now = this.now();
    const [row] = await this.session.rows<Pick<IdempotencyKeyRow, 'fingerprint' | 'state' | 'response' | 'created_at' | 'expires_at'>>(this.sql.read, [merchantId, key]);
    if (row === undefined || Number(row.expires_at) <= now) return null;
    if (row.fingerprint !== fingerprint) throw new IdempotencyKeyReuseError(merchantId, key);
    if (row.state === 'COMPLETED') return { status: 'COMPLETED', response: JSON.parse(row.response ?? 'null') as unknown };
    const stale = this.inProgressLeaseMs !== undefined && Number(row.created_at) <= now - this.inProgressLeaseMs;
    return stale ? null : { status: 'IN_PROGRESS' };
  }

  async complete(merchantId: string, key: string, response: unknown): Promise<void> {
    const now = this.now();
    const { affected } = await this.session.run(this.sql.complete, [JSON.stringify(response), now, merchantId, key, now]);
    if (affected === 0) throw new IdempotencyKeyNotInProgressError(merchantId, key);
  }

  async release(merchantId: string, key: string): Promise<void> {
    const { affected } = await this.session.run(this.sql.release, [merchantId, key, this.now()]);
    if (affected === 0) throw new IdempotencyKeyNotInProgressError(merchantId, key);
  }

  /**
   * Deletes up to `limit` expired keys (they are reusable anyway), oldest expiry first, in one
   * statement; returns how many. Run it from a periodic job (`RetentionSweeper` of
   * `@aegispay/locking`).
   */
  async purgeExpired(limit: number): Promise<number> {
    const rows = rowLimit(limit, 'limit', 'PERSISTENCE.INVALID_QUERY');
    if (rows === 0) return 0;
    const now = this.now();
    return (await this.session.run(this.sql.purge, [now, now, rows])).affected;
  }

  /** The clock's time in whole milliseconds, as the bigint columns hold it. */
  private now(): number {
    return wholeMs(this.clock.now(), 'clock.now()');
  }
}

/**
 * A TTL in whole milliseconds (rounded up: a key is kept at least as long as asked). It must be
 * above 0: a key that expires as it is claimed could never be completed.
 */
function ttl(option: string, value: number | undefined, fallback: number | undefined): number {
  return Math.ceil(checks.number(option, value, fallback, { above: 0 }));
}

const checks = new OptionChecks('PERSISTENCE.INVALID_OPTION', 'TypeOrmIdempotencyStore');
