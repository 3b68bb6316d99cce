import { DuplicateEntityError, type Payment } from '@aegispay/domain';
import { aPendingPayment, FakeClock, testPaymentDependencies } from '@aegispay/domain/testing';
import { testDialects } from '../__fixtures__/postgres';
import { TypeOrmIdempotencyStore } from '../idempotency/typeorm-idempotency.store';
import { TypeOrmOutboxStore } from '../outbox/typeorm-outbox.store';
import { TypeOrmPaymentRepository } from '../payment/typeorm-payment.repository';
import { useTestDatabase } from '../testing/test-database';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work';

describe.each(testDialects('TypeOrmUnitOfWork'))('TypeOrmUnitOfWork on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  let repository: TypeOrmPaymentRepository;
  let unitOfWork: TypeOrmUnitOfWork;
  let deps: ReturnType<typeof testPaymentDependencies>;

  beforeAll(async () => {
    repository = new TypeOrmPaymentRepository(database().dataSource);
    unitOfWork = new TypeOrmUnitOfWork(database().dataSource);
  });
  beforeEach(async () => {
    await database().reset();
    deps = testPaymentDependencies();
  });

  describe('.run', () => {
    describe('when a step fails and the work carries on', () => {
      it('should roll back only that step and commit the rest (the transaction stays usable)', async () => {
        const first = aPendingPayment({}, deps);
        const second = aPendingPayment({}, deps);

        await unitOfWork.run(async () => {
          await repository.insert(first);
          const twin = aPendingPayment({}, testPaymentDependencies());
          await expect(repository.insert(twin)).rejects.toBeInstanceOf(DuplicateEntityError);
          await repository.insert(second);
        });

        expect((await repository.findById(first.id))?.version).toBe(1);
        expect((await repository.findById(second.id))?.version).toBe(1);
        expect(await new TypeOrmOutboxStore(database().dataSource).countUnpublished()).toBe(2);
      });
    });

    describe('when steps of one unit of work run concurrently', () => {
      it('should keep them apart on the shared connection and commit all of them', async () => {
        const payments = Array.from({ length: 5 }, () => aPendingPayment({}, deps));

        await unitOfWork.run(async () => {
          const stored = await Promise.all(payments.map((payment) => repository.insert(payment)));
          await Promise.all(
            stored.map((payment: Payment) => {
              payment.startProcessing();
              return repository.updateWithVersion(payment.id, payment, payment.version);
            }),
          );
        });

        const found = await Promise.all(payments.map((payment) => repository.findById(payment.id)));
        expect(found.map((payment) => payment?.status)).toEqual(['PROCESSING', 'PROCESSING', 'PROCESSING', 'PROCESSING', 'PROCESSING']);
      });
    });

    describe('when code outside the unit of work reads meanwhile', () => {
      it('should not see its uncommitted writes', async () => {
        const payment = aPendingPayment({}, deps);
        let release: () => void = () => undefined;
        const held = new Promise<void>((resolve) => (release = resolve));
        let inserted: () => void = () => undefined;
        const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));

        const running = unitOfWork.run(async () => {
          await repository.insert(payment);
          inserted();
          await held;
        });
        await insertedSignal;
        // PostgreSQL reads the last committed state at once; SQLite (one connection per process) waits for the commit.
        let answered = false;
        const outside = repository.findById(payment.id).then((found) => {
          answered = true;
          return found;
        });
        if (dialect === 'postgres') expect(await outside).toBeNull();
        else {
          await new Promise((resolve) => setImmediate(resolve));
          expect(answered).toBe(false);
        }
        release();
        await running;

        if (dialect === 'sqlite') expect((await outside)?.id).toBe(payment.id);
      });
    });
  });
});

describe('TypeOrmIdempotencyStore.purgeExpired', () => {
  const database = useTestDatabase('sqlite');

  it('should delete expired keys only', async () => {
    const clock = new FakeClock();
    const store = new TypeOrmIdempotencyStore(database().dataSource, { clock, defaultTtlMs: 1_000 });
    await store.begin('m', 'old', 'fp');
    await store.begin('m', 'young', 'fp', { ttlMs: 5_000 });
    await clock.advance(1_000);

    expect(await store.purgeExpired(100)).toBe(1);
    expect(await store.begin('m', 'young', 'fp')).toEqual({ status: 'IN_PROGRESS' });
  });

  it('should refuse a TTL that is not above 0', () => {
    expect(() => new TypeOrmIdempotencyStore(database().dataSource, { defaultTtlMs: -1 })).toThrow(/defaultTtlMs/);
    expect(() => new TypeOrmIdempotencyStore(database().dataSource, { defaultTtlMs: 0 })).toThrow(/defaultTtlMs/);
  });
});
