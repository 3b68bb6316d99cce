import { FakeClock } from '@aegispay/domain/testing';
import { persistenceContracts } from '../testing';
import { InMemoryIdempotencyStore } from './in-memory-idempotency.store';
import { InMemoryOutboxStore } from './in-memory-outbox.store';
import { InMemoryPaymentRepository } from './in-memory-payment.repository';
import { InMemoryUnitOfWork } from './in-memory-unit-of-work';

persistenceContracts('in memory', async () => {
  const clock = new FakeClock();
  const outbox = new InMemoryOutboxStore({ clock });
  return {
    repository: new InMemoryPaymentRepository({ outbox }),
    outbox,
    idempotency: new InMemoryIdempotencyStore({ clock }),
    unitOfWork: new InMemoryUnitOfWork(),
    clock,
    createIdempotencyStore: (options) => new InMemoryIdempotencyStore({ clock, ...options }),
    dispose: async () => undefined,
  };
});
