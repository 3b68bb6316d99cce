import { aPendingPayment, FakeClock, testPaymentDependencies } from '@aegispay/domain/testing';
import { InMemoryPaymentRepository } from './in-memory-payment.repository';
import { InMemoryUnitOfWork } from './in-memory-unit-of-work';
import { InMemoryOutboxStore } from './in-memory-outbox.store';

describe(InMemoryOutboxStore, () => {
  describe('.claim', () => {
    describe('when a unit of work has appended messages and not committed yet', () => {
      it('should not hand them out until it commits', async () => {
        const clock = new FakeClock();
        const outbox = new InMemoryOutboxStore({ clock });
        const repository = new InMemoryPaymentRepository({ outbox });
        const unitOfWork = new InMemoryUnitOfWork();
        const claim = () => outbox.claim({ owner: 'r', limit: 10, now: clock.now(), leaseUntil: clock.now() + 1 });
        let seenInside: number | undefined;

        await unitOfWork.run(async () => {
          await repository.insert(aPendingPayment({}, testPaymentDependencies()));
          seenInside = (await claim()).length;
        });

        expect(seenInside).toBe(0);
        expect(await claim()).toHaveLength(1);
      });
    });
  });
});
