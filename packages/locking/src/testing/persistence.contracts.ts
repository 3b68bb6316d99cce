import { idempotencyStoreContract } from './idempotency-store.contract';
import { outboxStoreContract } from './outbox-store.contract';
import { paymentPageContract } from './payment-page.contract';
import { paymentRepositoryContract } from './payment-repository.contract';
import type { PersistenceFixtureFactory } from './persistence-fixture';
import { unitOfWorkContract } from './unit-of-work.contract';

/** Registers every persistence contract suite (repository, its pages, outbox, idempotency, unit of work) for one implementation. */
export function persistenceContracts(name: string, createFixture: PersistenceFixtureFactory): void {
  paymentRepositoryContract(name, createFixture);
  paymentPageContract(name, createFixture);
  outboxStoreContract(name, createFixture);
  idempotencyStoreContract(name, createFixture);
  unitOfWorkContract(name, createFixture);
}
