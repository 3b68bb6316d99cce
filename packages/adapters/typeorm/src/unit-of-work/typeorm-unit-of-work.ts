import type { UnitOfWork } from '@aegispay/domain';
import type { DataSource } from 'typeorm';
import { SqlSession } from '../sql/sql-session';

/**
 * A {@link UnitOfWork} over a TypeORM data source: every `TypeOrmPaymentRepository`,
 * `TypeOrmIdempotencyStore` and `TypeOrmOutboxStore` call made inside `run` (built on the same data
 * source) joins its database transaction, found through async context. A `run` inside a `run`
 * becomes a savepoint.
 *
 * On SQLite a unit of work holds the database's single write lock until it ends (and the process's
 * only connection): keep the work short and never wait on a gateway inside it.
 */
export class TypeOrmUnitOfWork implements UnitOfWork {
  private readonly session: SqlSession;

  constructor(dataSource: DataSource) {
    this.session = SqlSession.of(dataSource);
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.session.unitOfWork(work);
  }
}
