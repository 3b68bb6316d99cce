import type { DeadLetter, OutboxClaimRequest, OutboxFailure, OutboxMessage, OutboxStore } from '@aegispay/domain';
import type { DataSource } from 'typeorm';
import type { OutboxMessageRow } from '../schema/rows';
import { OUTBOX_MESSAGES } from '../schema/tables';
import { rowLimit, wholeMs } from '../sql/epoch-ms';
import { SqlSession } from '../sql/sql-session';

/** What a claim or a dead-letter listing reads: the event's columns and the delivery state a message reports. */
const MESSAGE_COLUMNS = ['sequence', 'attempts', 'last_error', 'dead_lettered_at', ...OUTBOX_MESSAGES.readable.map((column) => column.name)];
const COLUMNS = MESSAGE_COLUMNS.join(', ');

type MessageColumns = Pick<OutboxMessageRow, 'sequence' | 'attempts' | 'last_error' | 'dead_lettered_at'> & Readonly<Record<string, unknown>>;

/**
 * The transactional outbox table (`outbox_messages`) as an `OutboxStore` for `OutboxRelay`.
 *
 * A claim is one statement in a short transaction: it picks the heads of aggregates (the oldest
 * unpublished message of each, due, not parked, not claimed or with an expired claim), then each
 * head's contiguous run of followers, oldest first up to the limit, and stamps them with the owner
 * and lease. On PostgreSQL the heads are locked `FOR UPDATE SKIP LOCKED`, so relays in several
 * processes claim disjoint aggregates without waiting on each other; on SQLite the write lock
 * serialises claims. Publishing happens outside any transaction; marking is conditional on the
 * claim still being held.
 *
 * Times arrive as epoch milliseconds and are stored whole: instants ("now", a lease end) are
 * floored, a retry time is rounded up so a message never comes back before its backoff ends.
 */
export class TypeOrmOutboxStore implements OutboxStore {
  private readonly session: SqlSession;
  private readonly sql: {
    readonly claim: string;
    readonly markPublished: string;
    readonly markFailed: string;
    readonly deadLetter: string;
    readonly release: string;
    readonly listDeadLetters: string;
    readonly redriveAll: string;
    readonly redriveSome: string;
    readonly countUnpublished: string;
    readonly purgePublished: string;
  };

  constructor(dataSource: DataSource) {
    this.session = SqlSession.of(dataSource);
    const table = this.session.table(OUTBOX_MESSAGES.name);
    const postgres = this.session.dialect === 'postgres';
    // A list of sequences as one parameter: a bigint array on PostgreSQL, a JSON array on SQLite.
    const inList = postgres ? 'sequence = ANY(CAST(? AS bigint[]))' : 'sequence IN (SELECT value FROM json_each(?))';
    this.sql = {
      claim: postgres ? postgresClaim(table) : sqliteClaim(table),
      markPublished: `UPDATE ${table} SET published_at = ?, claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND published_at IS NULL AND ${inList}`,
      markFailed:
        `UPDATE ${table} SET attempts = attempts + 1, last_error = ?, available_at = ?, claimed_by = NULL, claimed_until = NULL ` +
        'WHERE sequence = ? AND claimed_by = ? AND published_at IS NULL',
      deadLetter:
        `UPDATE ${table} SET attempts = attempts + 1, last_error = ?, available_at = ?, dead_lettered_at = ?, claimed_by = NULL, claimed_until = NULL ` +
        'WHERE sequence = ? AND claimed_by = ? AND published_at IS NULL',
      release: `UPDATE ${table} SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND published_at IS NULL AND ${inList}`,
      listDeadLetters: `SELECT ${COLUMNS} FROM ${table} WHERE dead_lettered_at IS NOT NULL AND published_at IS NULL ORDER BY sequence LIMIT ?`,
      redriveAll: `UPDATE ${table} SET dead_lettered_at = NULL, attempts = 0, available_at = ? WHERE dead_lettered_at IS NOT NULL AND published_at IS NULL`,
      redriveSome: `UPDATE ${table} SET dead_lettered_at = NULL, attempts = 0, available_at = ? WHERE dead_lettered_at IS NOT NULL AND published_at IS NULL AND ${inList}`,
      countUnpublished: `SELECT COUNT(*) AS count FROM ${table} WHERE published_at IS NULL`,
      purgePublished: purgePublishedSql(table, postgres),
    };
  }

  async claim(request: OutboxClaimRequest): Promise<readonly OutboxMessage[]> {
    const { owner } = request;
    const now = wholeMs(request.now, 'now');
    const leaseUntil = wholeMs(request.leaseUntil, 'leaseUntil');
    const limit = rowLimit(request.limit, 'limit', 'PERSISTENCE.INVALID_QUERY');
    const parameters =
      this.session.dialect === 'postgres' ? [now, now, limit, limit, limit, owner, leaseUntil] : [now, now, limit, limit, owner, leaseUntil];
    const rows = await this.session.transaction((tx) => tx.rows<MessageColumns>(this.sql.claim, parameters));
    return rows.map(toMessage).sort((a, b) => a.sequence - b.sequence);
  }

  async markPublished(owner: string, sequences: readonly number[], now: number): Promise<number> {
    if (sequences.length === 0) return 0;
    return (await this.session.run(this.sql.markPublished, [wholeMs(now, 'now'), owner, this.list(sequences)])).affected;
  }

  async markFailed(owner: string, sequence: number, failure: OutboxFailure): Promise<void> {
    const retryAt = wholeMs(failure.retryAt, 'retryAt', 'ceil');
    if (failure.deadLetter) {
      await this.session.run(this.sql.deadLetter, [failure.error, retryAt, wholeMs(failure.now, 'now'), sequence, owner]);
    } else {
      await this.session.run(this.sql.markFailed, [failure.error, retryAt, sequence, owner]);
    }
  }

  async release(owner: string, sequences: readonly number[]): Promise<void> {
    if (sequences.length === 0) return;
    await this.session.run(this.sql.release, [owner, this.list(sequences)]);
  }

  async listDeadLetters(limit = 100): Promise<readonly DeadLetter[]> {
    const rows = await this.session.rows<MessageColumns>(this.sql.listDeadLetters, [rowLimit(limit, 'limit', 'PERSISTENCE.INVALID_QUERY')]);
    return rows.map((row) => ({ ...toMessage(row), lastError: row.last_error, deadLetteredAt: Number(row.dead_lettered_at) }));
  }

  async redrive(sequences: readonly number[] | 'ALL', now: number): Promise<number> {
    const at = wholeMs(now, 'now');
    if (sequences === 'ALL') return (await this.session.run(this.sql.redriveAll, [at])).affected;
    if (sequences.length === 0) return 0;
    return (await this.session.run(this.sql.redriveSome, [at, this.list(sequences)])).affected;
  }

  async countUnpublished(): Promise<number> {
    const [row] = await this.session.rows<{ count: number | string }>(this.sql.countUnpublished);
    return Number(row?.count ?? 0);
  }

  async purgePublished(publishedBefore: number, limit: number): Promise<number> {
    const before = wholeMs(publishedBefore, 'publishedBefore');
    const rows = rowLimit(limit, 'limit', 'PERSISTENCE.INVALID_QUERY');
    if (rows === 0) return 0;
    return (await this.session.run(this.sql.purgePublished, [before, before, rows])).affected;
  }

  private list(sequences: readonly number[]): unknown {
    return this.session.dialect === 'postgres' ? [...sequences] : JSON.stringify(sequences);
  }
}

/*
 * Claims: heads are found by walking unpublished messages in sequence order and keeping those that
 * are their aggregate's oldest unpublished one (an index probe each), so the cost stays linear even
 * before the planner has statistics; each head's followers come from the (aggregate_id, sequence)
 * index.
 */
const HEAD_CONDITIONS =
  'm.published_at IS NULL AND m.dead_lettered_at IS NULL AND m.available_at <= ? AND (m.claimed_by IS NULL OR m.claimed_until <= ?)';

/** Parameters: now, now, limit, limit, limit, owner, leaseUntil. */
function postgresClaim(table: string): string {
  return (
    `WITH heads AS (SELECT m.sequence, m.aggregate_id FROM ${table} m WHERE ${HEAD_CONDITIONS} ` +
    `AND m.sequence = (SELECT e.sequence FROM ${table} e WHERE e.aggregate_id = m.aggregate_id AND e.published_at IS NULL ORDER BY e.sequence LIMIT 1) ` +
    'ORDER BY m.sequence LIMIT ? FOR UPDATE OF m SKIP LOCKED), ' +
    'picked AS (SELECT f.sequence FROM heads h CROSS JOIN LATERAL (' +
    `SELECT x.sequence FROM ${table} x WHERE x.aggregate_id = h.aggregate_id AND x.published_at IS NULL AND x.dead_lettered_at IS NULL ` +
    'AND x.sequence >= h.sequence ORDER BY x.sequence LIMIT ?) f ORDER BY f.sequence LIMIT ?) ' +
    `UPDATE ${table} o SET claimed_by = ?, claimed_until = ? FROM picked WHERE o.sequence = picked.sequence RETURNING ${MESSAGE_COLUMNS.map((c) => `o.${c}`).join(', ')}`
  );
}

/** Parameters: now, now, limit, limit, owner, leaseUntil. */
function sqliteClaim(table: string): string {
  return (
    `WITH heads AS (SELECT m.sequence, m.aggregate_id FROM ${table} m WHERE ${HEAD_CONDITIONS} ` +
    `AND m.sequence = (SELECT MIN(e.sequence) FROM ${table} e WHERE e.aggregate_id = m.aggregate_id AND e.published_at IS NULL) ` +
    'ORDER BY m.sequence LIMIT ?), ' +
    `picked AS (SELECT f.sequence FROM heads h JOIN ${table} f ON f.aggregate_id = h.aggregate_id AND f.sequence >= h.sequence ` +
    'WHERE f.published_at IS NULL AND f.dead_lettered_at IS NULL ORDER BY f.sequence LIMIT ?) ' +
    `UPDATE ${table} SET claimed_by = ?, claimed_until = ? WHERE sequence IN (SELECT sequence FROM picked) RETURNING ${COLUMNS}`
  );
}

/**
 * Retention: at most `limit` published messages, oldest publication first, found through the
 * partial index over published ones and deleted by their physical row ids (PostgreSQL's `ctid`,
 * a TID scan; SQLite's `rowid`, the sequence). The bound is repeated outside the subquery, so the
 * statement can never delete a row the subquery did not mean; on PostgreSQL rows locked by anyone
 * are skipped, not waited for. Parameters: publishedBefore, publishedBefore, limit.
 */
function purgePublishedSql(table: string, postgres: boolean): string {
  const published = 'published_at IS NOT NULL AND published_at <= ?';
  const oldest = `FROM ${table} WHERE ${published} ORDER BY published_at, sequence LIMIT ?`;
  return postgres
    ? `DELETE FROM ${table} WHERE ${published} AND ctid = ANY(ARRAY(SELECT ctid ${oldest} FOR UPDATE SKIP LOCKED))`
    : `DELETE FROM ${table} WHERE ${published} AND sequence IN (SELECT sequence ${oldest})`;
}

function toMessage(row: MessageColumns): OutboxMessage {
  return { sequence: Number(row.sequence), event: OUTBOX_MESSAGES.read(row), attempts: Number(row.attempts) };
}
