import { InMemoryIdempotencyStore, InMemoryOutboxStore, InMemoryPaymentRepository, InMemoryUnitOfWork } from '@aegispay/locking';
import { TypeOrmIdempotencyStore, TypeOrmOutboxStore, TypeOrmPaymentRepository, TypeOrmUnitOfWork } from '@aegispay/typeorm';
import { ContainerModule } from 'inversify';
import type { DataSource } from 'typeorm';
import { TOKENS } from './tokens';

/**
 * A key left in progress this long (10 minutes) by a process that died before storing its payment
 * may be taken over by a retry with the same body. Far beyond the orchestrator's worst case (about
 * 104 s with the default options), so a slow owner is never overtaken; and if a payment was stored
 * after all, the repository's unique key turns the retry into a replay of that payment.
 */
const IN_PROGRESS_LEASE_MS = 600_000;

/** The persistence ports on TypeORM over `dataSource` (SQLite or PostgreSQL). */
export function typeOrmPersistenceModule(dataSource: DataSource): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.PaymentRepository)
      .toResolvedValue((clock, ids) => new TypeOrmPaymentRepository(dataSource, { clock, dependencies: { clock, ids } }), [TOKENS.Clock, TOKENS.IdGenerator])
      .inSingletonScope();
    bind(TOKENS.IdempotencyStore)
      .toResolvedValue((clock) => new TypeOrmIdempotencyStore(dataSource, { clock, inProgressLeaseMs: IN_PROGRESS_LEASE_MS }), [TOKENS.Clock])
      .inSingletonScope();
    bind(TOKENS.OutboxStore).toConstantValue(new TypeOrmOutboxStore(dataSource));
    bind(TOKENS.UnitOfWork).toConstantValue(new TypeOrmUnitOfWork(dataSource));
    bind(TOKENS.DataSource).toConstantValue(dataSource);
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
      .toResolvedValue((clock) => new InMemoryIdempotencyStore({ clock, inProgressLeaseMs: IN_PROGRESS_LEASE_MS }), [TOKENS.Clock])
      .inSingletonScope();
    bind(TOKENS.UnitOfWork).toConstantValue(new InMemoryUnitOfWork());
    bind(TOKENS.DataSource).toConstantValue(null);
  });
}
