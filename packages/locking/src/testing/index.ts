export type { PersistenceFixture, PersistenceFixtureFactory } from './persistence-fixture';
export { paymentRepositoryContract } from './payment-repository.contract';
export { paymentPageContract } from './payment-page.contract';
export { idempotencyStoreContract } from './idempotency-store.contract';
export { outboxStoreContract } from './outbox-store.contract';
export { unitOfWorkContract } from './unit-of-work.contract';
export { persistenceContracts } from './persistence.contracts';
export { RecordingEventPublisher } from './recording-event-publisher';
