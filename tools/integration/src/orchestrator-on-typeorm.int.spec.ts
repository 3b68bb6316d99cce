import { orchestratorContract } from '@aegispay/orchestrator/testing';
import { TypeOrmIdempotencyStore, TypeOrmOutboxStore, TypeOrmPaymentRepository } from '@aegispay/typeorm';
import { createTestDatabase, testDialects, type TestDatabase } from '@aegispay/typeorm/testing';

for (const dialect of testDialects('the orchestrator suite on TypeORM')) {
  describe(`on TypeORM (${dialect})`, () => {
    let database: TestDatabase | undefined;
    afterAll(async () => {
      await database?.dispose();
    });

    orchestratorContract(`TypeORM on ${dialect}`, async () => {
      database ??= await createTestDatabase(dialect);
      const { dataSource } = database;
      return {
        persistence: ({ clock, ids }) => ({
          repository: new TypeOrmPaymentRepository(dataSource, { clock, dependencies: { clock, ids } }),
          idempotency: new TypeOrmIdempotencyStore(dataSource, { clock }),
          outbox: new TypeOrmOutboxStore(dataSource),
        }),
        dispose: () => (database as TestDatabase).reset(),
      };
    });
  });
}
