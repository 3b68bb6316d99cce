import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, QueryRunner } from 'typeorm';
import { FifoMutex } from '@aegispay/resilience';
import { qualifiedName } from './qualified-name';
import { dialectOf, type SqlDialect } from './sql-dialect';

/**
 * One level of a transaction: the transaction itself, or a savepoint inside it. Statements and
 * savepoints issued at one level take turns (`mutex`), so two concurrent steps of one unit of
 * work never interleave their savepoints on the shared connection.
 */
interface TransactionFrame {
  readonly runner: QueryRunner;
  readonly depth: number;
  readonly mutex: FifoMutex;
}

/** Rows and the affected-row count of one statement. */
export interface StatementResult<R> {
  readonly rows: R[];
  readonly affected: number;
}

/** Something statements can be run on: the session (outside any transaction) or a transaction. */
export interface SqlExecutor {
  run<R = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<StatementResult<R>>;
  rows<R = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<R[]>;
}

const sessions = new WeakMap<DataSource, SqlSession>();

/**
 * How every AegisPay component talks to one TypeORM `DataSource`: statements go through
 * TypeORM's query runners. A component's own transaction (`transaction(work)`) hands `work` an
 * explicit {@link SqlExecutor}; only a unit of work (`unitOfWork(work)`) publishes its transaction
 * through async context, so that repositories and stores called inside it join it. Async context
 * is entered for units of work alone because, on Node.js 20, entering it turns on promise hooks
 * for the whole process, which taxes every `await` everywhere.
 *
 * - PostgreSQL: a transaction holds one pooled connection; statements outside one use the pool.
 * - SQLite (better-sqlite3) has a single connection per process, shared by everything: every
 *   statement and transaction is serialised through a mutex, so a statement never runs inside
 *   someone else's open transaction, and transactions start with `BEGIN IMMEDIATE` (take the
 *   write lock up front; other processes wait up to `busy_timeout` instead of failing on
 *   upgrade).
 *
 * Nested `transaction()` calls become savepoints: a failed inner step rolls back alone and leaves
 * the outer transaction usable (PostgreSQL would otherwise refuse every later statement).
 */
export class SqlSession implements SqlExecutor {
  readonly dialect: SqlDialect;
  private readonly storage = new AsyncLocalStorage<TransactionFrame>();
  private readonly mutex = new FifoMutex();
  private readonly schema: string | undefined;
  private readonly placeholderCache = new Map<string, string>();
  private sqliteRunner: QueryRunner | undefined;

  private constructor(readonly dataSource: DataSource) {
    this.dialect = dialectOf(dataSource);
    this.schema = this.dialect === 'postgres' ? (dataSource.options as { schema?: string }).schema : undefined;
  }

  /** The session of `dataSource` (one per data source, shared by every component built on it). */
  static of(dataSource: DataSource): SqlSession {
    let session = sessions.get(dataSource);
    if (session === undefined) {
      session = new SqlSession(dataSource);
      sessions.set(dataSource, session);
    }
    return session;
  }

  /** The quoted, schema-qualified name of an AegisPay table. */
  table(name: string): string {
    return qualifiedName(this.schema, name);
  }

  /** True inside a `unitOfWork()` of this session. */
  get inTransaction(): boolean {
    return this.storage.getStore() !== undefined;
  }

  /**
   * Runs one statement written with `?` placeholders (rewritten to `$n` for PostgreSQL), in the
   * current unit of work if there is one.
   */
  async run<R = Record<string, unknown>>(sql: string, parameters: readonly unknown[] = []): Promise<StatementResult<R>> {
    const statement = this.statement(sql);
    const frame = this.storage.getStore();
    if (frame !== undefined) return frame.mutex.runExclusive(() => execute<R>(frame.runner, statement, parameters));
    if (this.dialect === 'sqlite') return this.mutex.runExclusive(() => execute<R>(this.sqlite(), statement, parameters));
    const runner = this.dataSource.createQueryRunner();
    try {
      return await execute<R>(runner, statement, parameters);
    } finally {
      await runner.release();
    }
  }

  /** Rows of one statement. */
  async rows<R = Record<string, unknown>>(sql: string, parameters: readonly unknown[] = []): Promise<R[]> {
    return (await this.run<R>(sql, parameters)).rows;
  }

  /**
   * Runs `work` in a transaction — a savepoint when a unit of work is open — handing it the
   * executor to run its statements on: committed when it resolves, rolled back when it rejects.
   */
  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.withFrame((frame) => work(executorOf(frame, this)));
  }

  /**
   * Runs `work` in a transaction (a savepoint inside another unit of work) that every statement of
   * this session issued within `work`'s async context joins, whoever issues it.
   */
  async unitOfWork<T>(work: () => Promise<T>): Promise<T> {
    return this.withFrame((frame) => this.storage.run(frame, work));
  }

  private async withFrame<T>(work: (frame: TransactionFrame) => Promise<T>): Promise<T> {
    const current = this.storage.getStore();
    if (current !== undefined) return this.savepoint(current, work);
    if (this.dialect === 'sqlite') return this.mutex.runExclusive(() => this.topLevel(this.sqlite(), 'BEGIN IMMEDIATE', work));
    const runner = this.dataSource.createQueryRunner();
    try {
      return await this.topLevel(runner, 'BEGIN', work);
    } finally {
      await runner.release();
    }
  }

  private async topLevel<T>(runner: QueryRunner, begin: string, work: (frame: TransactionFrame) => Promise<T>): Promise<T> {
    await runner.query(begin);
    let result: T;
    try {
      result = await work({ runner, depth: 0, mutex: new FifoMutex() });
    } catch (error) {
      await rollbackQuietly(runner, 'ROLLBACK');
      throw error;
    }
    try {
      await runner.query('COMMIT');
    } catch (error) {
      await rollbackQuietly(runner, 'ROLLBACK');
      throw error;
    }
    return result;
  }

  private savepoint<T>(parent: TransactionFrame, work: (frame: TransactionFrame) => Promise<T>): Promise<T> {
    return parent.mutex.runExclusive(async () => {
      const frame: TransactionFrame = { runner: parent.runner, depth: parent.depth + 1, mutex: new FifoMutex() };
      const name = `aegispay_sp_${frame.depth}`;
      await frame.runner.query(`SAVEPOINT ${name}`);
      try {
        const result = await work(frame);
        await frame.runner.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await rollbackQuietly(frame.runner, `ROLLBACK TO SAVEPOINT ${name}`);
        await rollbackQuietly(frame.runner, `RELEASE SAVEPOINT ${name}`);
        throw error;
      }
    });
  }

  private sqlite(): QueryRunner {
    // better-sqlite3 has one connection and TypeORM one query runner for it.
    this.sqliteRunner ??= this.dataSource.createQueryRunner();
    return this.sqliteRunner;
  }

  /** `sql` as this dialect takes it (`?` placeholders become `$n` on PostgreSQL). */
  statement(sql: string): string {
    return this.dialect === 'postgres' ? this.numbered(sql) : sql;
  }

  private numbered(sql: string): string {
    let statement = this.placeholderCache.get(sql);
    if (statement === undefined) {
      let index = 0;
      statement = sql.replace(/\?/g, () => `$${(index += 1)}`);
      this.placeholderCache.set(sql, statement);
    }
    return statement;
  }
}

/** Statements on one transaction level, taking turns with the others issued at that level. */
function executorOf(frame: TransactionFrame, session: SqlSession): SqlExecutor {
  const run = <R>(sql: string, parameters: readonly unknown[] = []): Promise<StatementResult<R>> =>
    frame.mutex.runExclusive(() => execute<R>(frame.runner, session.statement(sql), parameters));
  return {
    run,
    rows: async <R>(sql: string, parameters: readonly unknown[] = []) => (await run<R>(sql, parameters)).rows,
  };
}

async function execute<R>(runner: QueryRunner, sql: string, parameters: readonly unknown[]): Promise<StatementResult<R>> {
  const result = await runner.query(sql, [...parameters], true);
  return { rows: (result.records ?? []) as R[], affected: result.affected ?? 0 };
}

async function rollbackQuietly(runner: QueryRunner, statement: string): Promise<void> {
  try {
    await runner.query(statement);
  } catch {
    // The original error matters more; a broken connection is discarded by the pool anyway.
  }
}
