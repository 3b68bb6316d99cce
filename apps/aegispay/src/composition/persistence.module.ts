import { InMemoryIdempotencyStore, InMemoryOutboxStore, InMemoryPaymentRepository, InMemoryUnitOfWork } from '@aegispay/locking';
import { TypeOrmIdempotencyStore, TypeOrmOutboxStore, TypeOrmPaymentRepository, TypeOrmUnitOfWork } from '@aegispay/typeorm';
import { ContainerModule } from 'inversify';
import type { DataSource } from 'typeorm';
import { TOKENS } from './tokens';

/** The persistence ports on TypeORM over `dataSource` (SQLite or PostgreSQL). */
export function typeOrmPersistenceModule(dataSource: DataSource): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.PaymentRepository)
      .toResolvedValue((clock, ids) => new TypeOrmPaymentRepository(dataSource, { clock, dependencies: { clock, ids } }), [TOKENS.Clock, TOKENS.IdGenerator])
      .inSingletonScope();
    bind(TOKENS.IdempotencyStore)
      .toResolvedValue((clock) => new TypeOrmIdempotencyStore(dataSource, { clock }), [TOKENS.Clock])
      .inSingletonScope();
    bind(TOKENS.OutboxStore).toConstantValue(new TypeOrmOutboxStore(dataSource));
    bind(TOKENS.UnitOfWork).toConstantValue(new TypeOrmUnitOfWork(dataSource));
  });
}

/** The persistence ports in memory: one process, nothing survives it. */
export function inMemoryPersistenceModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.OutboxStore)
      .toResolvedValue((clock) => new InMemoryOutboxStore({ clock }), [TOKENS.Clock])
      .inSingletonScope();
    bind(TOKENS.PaymentRepository)
      .toResolvedValue((clock, outbox) => new InMemoryPaymentRepository({ clock, outbox: outbox as InMemoryOutboxStore }), [TOKENS.Clock, TOKENS.OutboxStore])
      .inSingletonScope();
    bind(TOKENS.IdempotencyStore)
      .toResolvedValue((clock) => new InMemoryIdempotencyStore({ clock }), [TOKENS.Clock])
      .inSingletonScope();
    bind(TOKENS.UnitOfWork).toConstantValue(new InMemoryUnitOfWork());
  });
}
