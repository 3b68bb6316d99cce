import type { UnitOfWork } from '@aegispay/domain';
import { FifoMutex } from '@aegispay/resilience';
import { currentInMemoryTransaction, InMemoryTransaction, runInMemoryTransaction } from './in-memory-transaction';

/**
 * A single-process {@link UnitOfWork} over the in-memory stores of this package
 * (`InMemoryPaymentRepository`, `InMemoryVersionedRepository`, `InMemoryIdempotencyStore`,
 * `InMemoryOutboxStore`): when `work` rejects, every write it made through them is undone, and
 * outbox messages it appended never become visible to a relay.
 *
 * Units of work run one at a time (like SQLite's single writer); a `run` inside a `run` joins the
 * outer one. Isolation is "read uncommitted" for code outside any unit of work: it can see a
 * payment written by a unit of work that later rolls back. That is enough for tests and demos;
 * use the TypeORM adapter for real isolation.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  private readonly mutex = new FifoMutex();

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (currentInMemoryTransaction() !== undefined) return work();
    return this.mutex.runExclusive(async () => {
      const transaction = new InMemoryTransaction();
      let result: T;
      try {
        result = await runInMemoryTransaction(transaction, work);
      } catch (error) {
        transaction.rollback();
        throw error;
      }
      transaction.commit();
      return result;
    });
  }
}
