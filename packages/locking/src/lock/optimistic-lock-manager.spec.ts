import { EntityNotFoundError, type UpdateResult, type VersionedRepository } from '@aegispay/domain';
import { FakeClock, SeededRandom } from '@aegispay/domain/testing';
import { MaxRetriesExceededError } from '../errors/max-retries-exceeded.error';
import { VersionConflictError } from '../errors/version-conflict.error';
import { InMemoryVersionedRepository } from '../memory/in-memory-versioned.repository';
import { OptimisticLockManager, type ConflictEvent } from './optimistic-lock-manager';

interface Counter {
  readonly id: string;
  readonly version: number;
  readonly count: number;
}

/** Wraps a repository so that the first `conflicts` writes find a concurrent writer got there first. */
function withInterference(repository: InMemoryVersionedRepository<Counter>, conflicts: number): VersionedRepository<Counter> {
  let remaining = conflicts;
  return {
    findById: (id) => repository.findById(id),
    insert: (entity) => repository.insert(entity),
    async updateWithVersion(id, entity, expectedVersion): Promise<UpdateResult<Counter>> {
      if (remaining > 0) {
        remaining -= 1;
        const current = (await repository.findById(id)) as Counter;
        await repository.updateWithVersion(id, { ...current, count: current.count + 100 }, current.version);
      }
      return repository.updateWithVersion(id, entity, expectedVersion);
    },
  };
}

describe(OptimisticLockManager, () => {
  let clock: FakeClock;
  let store: InMemoryVersionedRepository<Counter>;

  beforeEach(async () => {
    clock = new FakeClock();
    store = new InMemoryVersionedRepository<Counter>();
    await store.insert({ id: 'c1', version: 0, count: 0 });
  });

  /** Runs `promise` to completion, moving the fake clock whenever it waits. */
  async function settle<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    const tracked = promise.finally(() => {
      done = true;
    });
    tracked.catch(() => undefined);
    while (!done) await clock.advance(1);
    return tracked;
  }

  describe('.update', () => {
    describe('when nobody else writes', () => {
      it('should apply the mutation once and return the stored entity at the next version', async () => {
        const manager = new OptimisticLockManager({ clock });
        const mutate = jest.fn((current: Counter) => ({ ...current, count: current.count + 1 }));

        const updated = await manager.update(store, 'c1', mutate);

        expect(updated).toEqual({ id: 'c1', version: 2, count: 1 });
        expect(mutate).toHaveBeenCalledTimes(1);
        expect(manager.getStats()).toEqual({ operations: 1, succeeded: 1, attempts: 1, conflicts: 0, exhausted: 0, notFound: 0 });
      });

      it('should accept a mutation that changes the entity in place', async () => {
        const manager = new OptimisticLockManager({ clock });

        const updated = await manager.update(store, 'c1', (current) => {
          (current as { count: number }).count = 7;
        });

        expect(updated.count).toBe(7);
      });
    });

    describe('when writes conflict', () => {
      it('should re-read, re-apply and succeed, with backoff waits between attempts', async () => {
        const conflicts: ConflictEvent[] = [];
        const manager = new OptimisticLockManager({ clock, random: new SeededRandom(3), jitterFactor: 0, onConflict: (e) => conflicts.push(e) });
        const racing = withInterference(store, 2);
        const started = clock.now();

        const updated = await settle(manager.update(racing, 'c1', (current) => ({ ...current, count: current.count + 1 })));

        expect(updated).toEqual({ id: 'c1', version: 4, count: 201 });
        expect(conflicts).toEqual([
          { entityId: 'c1', attempt: 1, expectedVersion: 1, delayMs: 10 },
          { entityId: 'c1', attempt: 2, expectedVersion: 2, delayMs: 20 },
        ]);
        expect(clock.now() - started).toBeGreaterThanOrEqual(30);
        expect(manager.getStats()).toMatchObject({ operations: 1, succeeded: 1, attempts: 3, conflicts: 2 });
      });

      it('should throw MaxRetriesExceededError with the attempts and the last version seen when conflicts persist', async () => {
        const manager = new OptimisticLockManager({ clock, maxRetries: 2, random: new SeededRandom(1) });
        const racing = withInterference(store, 10);

        const failure = settle(manager.update(racing, 'c1', (current) => ({ ...current, count: 1 })));

        await expect(failure).rejects.toBeInstanceOf(MaxRetriesExceededError);
        const error = (await failure.catch((e: unknown) => e)) as MaxRetriesExceededError;
        expect(error).toMatchObject({ code: 'LOCKING.MAX_RETRIES_EXCEEDED', entityId: 'c1', attempts: 3, lastVersionSeen: 3 });
        expect(error.cause).toBeInstanceOf(VersionConflictError);
        expect(manager.getStats()).toMatchObject({ attempts: 3, conflicts: 3, exhausted: 1, succeeded: 0 });
      });
    });

    describe('when the entity does not exist', () => {
      it('should throw the not-found error at once, without retrying', async () => {
        const manager = new OptimisticLockManager({ clock });
        const mutate = jest.fn();

        await expect(manager.update(store, 'missing', mutate)).rejects.toBeInstanceOf(EntityNotFoundError);
        await expect(manager.update(store, 'missing', mutate, { notFound: (id) => new Error(`no ${id}`) })).rejects.toThrow('no missing');
        expect(mutate).not.toHaveBeenCalled();
        expect(manager.getStats()).toMatchObject({ attempts: 2, notFound: 1 });
      });
    });

    describe('when the mutation throws', () => {
      it('should propagate the error without writing or retrying', async () => {
        const manager = new OptimisticLockManager({ clock });
        const refusal = new Error('illegal');

        await expect(manager.update(store, 'c1', () => { throw refusal; })).rejects.toBe(refusal);
        expect(await store.findById('c1')).toEqual({ id: 'c1', version: 1, count: 0 });
        expect(manager.getStats().attempts).toBe(1);
      });
    });

    describe('when the signal aborts during a backoff', () => {
      it('should stop retrying and reject with the abort reason', async () => {
        const manager = new OptimisticLockManager({ clock, initialBackoffMs: 1_000 });
        const controller = new AbortController();
        const racing = withInterference(store, 10);

        const pending = manager.update(racing, 'c1', (current) => current, { signal: controller.signal });
        pending.catch(() => undefined);
        await clock.advance(0);
        controller.abort(new Error('request cancelled'));

        await expect(pending).rejects.toThrow('request cancelled');
        expect(manager.getStats().attempts).toBe(1);
      });
    });

    describe('when options are invalid', () => {
      it('should refuse them at construction', () => {
        expect(() => new OptimisticLockManager({ maxRetries: -1 })).toThrow(/maxRetries/);
        expect(() => new OptimisticLockManager({ jitterFactor: 2 })).toThrow(/jitterFactor/);
      });
    });
  });

  describe('.maxRetries', () => {
    it('should default to 5', () => {
      expect(new OptimisticLockManager().maxRetries).toBe(5);
    });
  });
});
