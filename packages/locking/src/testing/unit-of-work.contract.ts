/// <reference types="jest" />
import type { Payment } from '@aegispay/domain';
import { aPendingPayment, testPaymentDependencies } from '@aegispay/domain/testing';
import type { PersistenceFixture, PersistenceFixtureFactory } from './persistence-fixture';

/**
 * The contract of `UnitOfWork`: the payment, its outbox events and the idempotency record written
 * inside `run` commit together, or none of them exists when `work` rejects.
 */
export function unitOfWorkContract(name: string, createFixture: PersistenceFixtureFactory): void {
  describe(`UnitOfWork contract: ${name}`, () => {
    let fixture: PersistenceFixture;
    let deps: ReturnType<typeof testPaymentDependencies>;

    beforeEach(async () => {
      fixture = await createFixture();
      deps = testPaymentDependencies();
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    describe('.run', () => {
      describe('when the work resolves', () => {
        it('should commit every write and resolve with its result', async () => {
          const payment = aPendingPayment({ idempotencyKey: 'order-1' }, deps);

          const result = await fixture.unitOfWork.run(async () => {
            await fixture.idempotency.begin('merchant_1', 'order-1', 'fp');
            const stored = await fixture.repository.insert(payment);
            stored.startProcessing();
            await fixture.repository.updateWithVersion(stored.id, stored, stored.version);
            await fixture.idempotency.complete('merchant_1', 'order-1', { paymentId: stored.id });
            return stored.id;
          });

          expect(result).toBe(payment.id);
          expect((await fixture.repository.findById(payment.id))?.version).toBe(2);
          expect(await fixture.outbox.countUnpublished()).toBe(2);
          expect(await fixture.idempotency.begin('merchant_1', 'order-1', 'fp')).toEqual({ status: 'COMPLETED', response: { paymentId: payment.id } });
        });
      });

      describe('when the work rejects', () => {
        it('should leave no payment, no event and no idempotency record, and rethrow', async () => {
          const payment = aPendingPayment({ idempotencyKey: 'order-1' }, deps);
          const boom = new Error('gateway exploded');

          const failure = fixture.unitOfWork.run(async () => {
            await fixture.idempotency.begin('merchant_1', 'order-1', 'fp');
            const stored = await fixture.repository.insert(payment);
            stored.startProcessing();
            await fixture.repository.updateWithVersion(stored.id, stored, stored.version);
            throw boom;
          });

          await expect(failure).rejects.toBe(boom);
          expect(await fixture.repository.findById(payment.id)).toBeNull();
          expect(await fixture.repository.findByIdempotencyKey('merchant_1', 'order-1')).toBeNull();
          expect(await fixture.outbox.countUnpublished()).toBe(0);
          expect(await fixture.idempotency.begin('merchant_1', 'order-1', 'fp')).toEqual({ status: 'STARTED' });
        });

        it('should undo an update of an existing payment', async () => {
          const stored = await fixture.repository.insert(aPendingPayment({}, deps));

          await expect(
            fixture.unitOfWork.run(async () => {
              const current = (await fixture.repository.findById(stored.id)) as Payment;
              current.startProcessing();
              await fixture.repository.updateWithVersion(current.id, current, current.version);
              throw new Error('abort');
            }),
          ).rejects.toThrow('abort');

          const after = await fixture.repository.findById(stored.id);
          expect(after?.toSnapshot()).toEqual(stored.toSnapshot());
          expect(await fixture.outbox.countUnpublished()).toBe(1);
        });
      });

      describe('when runs are nested', () => {
        it('should join the outer unit of work', async () => {
          const payment = aPendingPayment({}, deps);

          await expect(
            fixture.unitOfWork.run(async () => {
              await fixture.unitOfWork.run(async () => {
                await fixture.repository.insert(payment);
              });
              throw new Error('outer fails');
            }),
          ).rejects.toThrow('outer fails');

          expect(await fixture.repository.findById(payment.id)).toBeNull();
        });
      });

      describe('when several run at once', () => {
        it('should keep each one atomic', async () => {
          const payments = Array.from({ length: 6 }, () => aPendingPayment({}, deps));

          const outcomes = await Promise.allSettled(
            payments.map((payment, index) =>
              fixture.unitOfWork.run(async () => {
                await fixture.repository.insert(payment);
                if (index % 2 === 1) throw new Error(`fail ${index}`);
              }),
            ),
          );

          expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
          const found = await Promise.all(payments.map((p) => fixture.repository.findById(p.id)));
          expect(found.map((p) => p !== null)).toEqual([true, false, true, false, true, false]);
          expect(await fixture.outbox.countUnpublished()).toBe(3);
        });
      });
    });
  });
}
