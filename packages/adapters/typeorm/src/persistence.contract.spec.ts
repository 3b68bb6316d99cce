import { FakeClock } from '@aegispay/domain/testing';
import { persistenceContracts, type PersistenceFixtureFactory } from '@aegispay/locking/testing';
import { TypeOrmIdempotencyStore } from './idempotency/typeorm-idempotency.store';
import { TypeOrmOutboxStore } from './outbox/typeorm-outbox.store';
import { TypeOrmPaymentRepository } from './payment/typeorm-payment.repository';
import type { SqlDialect } from './sql/sql-dialect';
import { describeWithPostgres } from './__fixtures__/postgres';
import { createTestDatabase, type TestDatabase } from './testing/test-database';
import { TypeOrmUnitOfWork } from './unit-of-work/typeorm-unit-of-work';

/** One database per dialect for the whole file, emptied after each test. */
function fixtures(dialect: SqlDialect): PersistenceFixtureFactory {
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await database?.dispose();
  });
  return async () => {
    database ??= await createTestDatabase(dialect);
    const { dataSource } = database;
    const clock = new FakeClock();
    return {
      repository: new TypeOrmPaymentRepository(dataSource, { clock }),
      outbox: new TypeOrmOutboxStore(dataSource),
      idempotency: new TypeOrmIdempotencyStore(dataSource, { clock }),
      unitOfWork: new TypeOrmUnitOfWork(dataSource),
      clock,
      createIdempotencyStore: (options) => new TypeOrmIdempotencyStore(dataSource, { clock, ...options }),
      dispose: () => (database as TestDatabase).reset(),
    };
  };
}

describe('SQLite (a file database)', () => {
  persistenceContracts('TypeORM on SQLite', fixtures('sqlite'));
});

describeWithPostgres('PostgreSQL (contract suites)', () => {
  persistenceContracts('TypeORM on PostgreSQL', fixtures('postgres'));
});
