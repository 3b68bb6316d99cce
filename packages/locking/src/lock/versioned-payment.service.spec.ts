import { IllegalStateTransitionError, PaymentNotFoundError, VirtualClock, type Payment } from '@aegispay/domain';
import { aPaidPayment, aPendingPayment, FakeClock, SeededRandom, testPaymentDependencies } from '@aegispay/domain/testing';
import { StatusChangeNeedsDetailsError } from '../errors/status-change-needs-details.error';
import { UnexpectedStatusError } from '../errors/unexpected-status.error';
import { InMemoryPaymentRepository } from '../memory/in-memory-payment.repository';
import { InMemoryVersionedRepository } from '../memory/in-memory-versioned.repository';
import { OptimisticLockManager } from './optimistic-lock-manager';
import { VersionedPaymentService } from './versioned-payment.service';

interface VersionedPayment {
  readonly id: string;
  readonly version: number;
  readonly status: string;
  readonly amount: number;
}

describe(VersionedPaymentService, () => {
  describe('with plain versioned records (the spec example)', () => {
    let repository: InMemoryVersionedRepository<VersionedPayment>;
    let service: VersionedPaymentService<VersionedPayment>;

    beforeEach(async () => {
      repository = new InMemoryVersionedRepository<VersionedPayment>();
      service = new VersionedPaymentService(repository, {
        maxRetries: 5,
        initialBackoffMs: 10,
        maxBackoffMs: 1000,
        backoffMultiplier: 2,
        jitterFactor: 0.1,
        clock: new FakeClock(),
      });
      await repository.insert({ id: 'payment-123', version: 0, status: 'PENDING', amount: 1_000 });
    });

    describe('.updateStatus', () => {
      it('should write the status at the next version', async () => {
        const updated = await service.updateStatus('payment-123', 'PROCESSING');

        expect(updated).toEqual({ id: 'payment-123', version: 2, status: 'PROCESSING', amount: 1_000 });
        expect(await repository.findById('payment-123')).toEqual(updated);
      });

      describe('when both statuses are payment statuses', () => {
        it('should enforce the payment state machine', async () => {
          await expect(service.updateStatus('payment-123', 'REFUNDED')).rejects.toBeInstanceOf(IllegalStateTransitionError);
          expect((await repository.findById('payment-123'))?.version).toBe(1);
        });
      });

      describe('when the record does not exist', () => {
        it('should throw PaymentNotFoundError', async () => {
          await expect(service.updateStatus('payment-404', 'PROCESSING')).rejects.toBeInstanceOf(PaymentNotFoundError);
        });
      });
    });

    describe('.conditionalUpdate', () => {
      it('should move from the expected status', async () => {
        const updated = await service.conditionalUpdate('payment-123', 'PENDING', 'PROCESSING');

        expect(updated.status).toBe('PROCESSING');
      });

      describe('when the record is in another status', () => {
        it('should throw UnexpectedStatusError and write nothing', async () => {
          await service.updateStatus('payment-123', 'CANCELLED');

          const failure = service.conditionalUpdate('payment-123', 'PENDING', 'PROCESSING');

          await expect(failure).rejects.toBeInstanceOf(UnexpectedStatusError);
          await expect(failure).rejects.toMatchObject({ expectedStatus: 'PENDING', actualStatus: 'CANCELLED' });
          expect((await repository.findById('payment-123'))?.status).toBe('CANCELLED');
        });
      });
    });
  });

  describe('with Payment aggregates', () => {
    let deps: ReturnType<typeof testPaymentDependencies>;
    let repository: InMemoryPaymentRepository;
    let service: VersionedPaymentService;

    beforeEach(() => {
      deps = testPaymentDependencies();
      repository = new InMemoryPaymentRepository({ clock: deps.clock });
      service = new VersionedPaymentService(repository, { clock: deps.clock });
    });

    describe('.update', () => {
      it('should apply the domain operation and store its events with the payment', async () => {
        const stored = await repository.insert(aPendingPayment({}, deps));

        const updated = await service.update(stored.id, (payment) => {
          payment.startProcessing();
          payment.recordAttempt({ gateway: 'STRIPE', reference: 'r1', outcome: 'APPROVED', latencyMs: 80, gatewayReference: 'ch_1' });
          payment.markSucceeded({ gateway: 'STRIPE', gatewayReference: 'ch_1' });
        });

        expect(updated).toMatchObject({ status: 'PAID', version: 2, gatewayReference: 'ch_1' });
        expect(repository.outbox.allEvents().map((e) => e.type)).toEqual(['PaymentCreated', 'PaymentProcessingStarted', 'PaymentSucceeded']);
      });
    });

    describe('.updateStatus', () => {
      it('should move a payment through its domain operation', async () => {
        const stored = await repository.insert(aPendingPayment({}, deps));

        const processing = await service.updateStatus(stored.id, 'PROCESSING');

        expect(processing.status).toBe('PROCESSING');
        expect(repository.outbox.allEvents().map((e) => e.type)).toEqual(['PaymentCreated', 'PaymentProcessingStarted']);
      });

      it('should cancel a pending payment', async () => {
        const stored = await repository.insert(aPendingPayment({}, deps));

        expect((await service.updateStatus(stored.id, 'CANCELLED')).status).toBe('CANCELLED');
      });

      describe('when the status needs more than a status', () => {
        it('should throw StatusChangeNeedsDetailsError naming the operation to use', async () => {
          const stored = await repository.insert(aPendingPayment({}, deps));
          await service.updateStatus(stored.id, 'PROCESSING');

          const failure = service.updateStatus(stored.id, 'PAID');

          await expect(failure).rejects.toBeInstanceOf(StatusChangeNeedsDetailsError);
          await expect(failure).rejects.toThrow(/markSucceeded/);
        });
      });

      describe('when the transition is illegal', () => {
        it('should throw IllegalStateTransitionError', async () => {
          const stored = await repository.insert(aPaidPayment({}, deps));

          await expect(service.updateStatus(stored.id, 'PROCESSING')).rejects.toBeInstanceOf(IllegalStateTransitionError);
        });
      });
    });

    describe('.conditionalUpdate', () => {
      it('should check the status on the fresh read of every attempt', async () => {
        const stored = await repository.insert(aPendingPayment({}, deps));
        const cancelFirst = service.updateStatus(stored.id, 'CANCELLED');

        const racing = service.conditionalUpdate(stored.id, 'PENDING', 'PROCESSING');

        racing.catch(() => undefined);
        await cancelFirst;
        await deps.clock.advance(50);
        await expect(racing).rejects.toBeInstanceOf(UnexpectedStatusError);
        expect((await repository.findById(stored.id))?.status).toBe('CANCELLED');
        expect(service.getStats()).toMatchObject({ conflicts: 1, attempts: 3 });
      });
    });

    describe('when many writers update one payment concurrently', () => {
      it('should apply every update exactly once and count the conflicts', async () => {
        const clock = new VirtualClock({ autoAdvance: true });
        const racingService = new VersionedPaymentService(repository, { clock, random: new SeededRandom(7), maxRetries: 50, jitter: 'full' });
        const stored = await repository.insert(aPaidPayment({}, deps));

        await Promise.all(
          Array.from({ length: 8 }, async () => {
            for (let i = 0; i < 25; i += 1) await racingService.update(stored.id, (payment: Payment) => void payment.refund({ amount: 1 }));
          }),
        );

        const final = (await repository.findById(stored.id)) as Payment;
        expect(final.refunds).toHaveLength(200);
        expect(final.refundedAmount.amount).toBe(200);
        expect(final.version).toBe(201);
        expect(racingService.getStats()).toMatchObject({ operations: 200, succeeded: 200 });
        expect(racingService.getStats().conflicts).toBeGreaterThan(0);
        expect(repository.outbox.allEvents().filter((e) => e.type === 'RefundProcessed')).toHaveLength(200);
      });
    });
  });

  describe('constructor', () => {
    describe('when a lock manager and retry options are both given', () => {
      it('should refuse the ambiguous configuration', () => {
        const repository = new InMemoryVersionedRepository<VersionedPayment>();

        expect(() => new VersionedPaymentService(repository, { lockManager: new OptimisticLockManager(), maxRetries: 3 })).toThrow(/maxRetries/);
      });
    });

    describe('when a lock manager is shared', () => {
      it('should count through it', async () => {
        const lockManager = new OptimisticLockManager({ clock: new FakeClock() });
        const repository = new InMemoryVersionedRepository<VersionedPayment>();
        await repository.insert({ id: 'p', version: 0, status: 'PENDING', amount: 1 });
        const service = new VersionedPaymentService(repository, { lockManager });

        await service.updateStatus('p', 'PROCESSING');

        expect(lockManager.getStats().succeeded).toBe(1);
        expect(service.lockManager).toBe(lockManager);
      });
    });
  });
});
