import { InMemoryIdempotencyStore, InMemoryOutboxStore, InMemoryPaymentRepository } from '@aegispay/locking';
import { orchestratorContract } from './testing';

orchestratorContract('in memory', async () => ({
  persistence: ({ clock }) => {
    const outbox = new InMemoryOutboxStore({ clock });
    return { repository: new InMemoryPaymentRepository({ clock, outbox }), idempotency: new InMemoryIdempotencyStore({ clock }), outbox };
  },
  dispose: async () => undefined,
}));
