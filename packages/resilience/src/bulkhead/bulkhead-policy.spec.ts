import { AegisPayError, InvalidOptionError } from '@aegispay/domain';
import { deferred, type Deferred } from '@aegispay/domain/testing';
import fc from 'fast-check';
import { BulkheadPolicy, bulkhead } from './bulkhead-policy';
import { BulkheadRejectedError } from './bulkhead.errors';

describe(BulkheadPolicy, () => {
  describe('constructor', () => {
    describe('when limits are missing or invalid', () => {
      it('should throw an InvalidOptionError naming them', () => {
        expect(() => new BulkheadPolicy({} as never)).toThrow(/Invalid option maxConcurrent: is required/);
        expect(() => bulkhead(0)).toThrow(InvalidOptionError);
        expect(() => bulkhead(1, -1)).toThrow(/Invalid option maxQueue/);
      });
    });
  });

  describe('.execute', () => {
    describe('when slots and queue are full', () => {
      it('should run maxConcurrent calls, queue maxQueue, and reject the rest at once', async () => {
        const policy = bulkhead(2, 1);
        const gates = [deferred<number>(), deferred<number>(), deferred<number>()];
        const started: number[] = [];
        const calls = gates.map((gate, i) =>
          policy.execute(() => {
            started.push(i);
            return gate.promise;
          }),
        );
        await Promise.resolve();
        expect(started).toEqual([0, 1]);
        expect([policy.active, policy.queued]).toEqual([2, 1]);

        const rejected = await policy.execute(() => Promise.resolve(9)).catch((e: unknown) => e);
        expect(rejected).toBeInstanceOf(BulkheadRejectedError);
        expect(AegisPayError.is(rejected) && rejected.code).toBe('RESILIENCE.BULKHEAD_FULL');

        gates[0]?.resolve(0);
        await calls[0];
        await Promise.resolve();
        expect(started).toEqual([0, 1, 2]);
        gates[1]?.resolve(1);
        gates[2]?.resolve(2);
        await expect(Promise.all(calls)).resolves.toEqual([0, 1, 2]);
        expect([policy.active, policy.queued]).toEqual([0, 0]);
      });
    });

    describe('when a queued call is aborted', () => {
      it('should leave the queue, reject with the reason, and not take a slot later', async () => {
        const policy = bulkhead(1, 2);
        const gate = deferred<string>();
        const first = policy.execute(() => gate.promise);
        const controller = new AbortController();
        const queued = jest.fn(() => Promise.resolve('queued'));
        const abandoned = policy.execute(queued, controller.signal);
        const next = policy.execute(() => Promise.resolve('next'));
        controller.abort(new Error('gave up'));
        await expect(abandoned).rejects.toThrow('gave up');
        expect(policy.queued).toBe(1);
        gate.resolve('first');
        await expect(Promise.all([first, next])).resolves.toEqual(['first', 'next']);
        expect(queued).not.toHaveBeenCalled();
        expect(policy.active).toBe(0);
      });
    });

    describe('when many queued callers give up while a call holds the slot', () => {
      it('should keep nothing of them (memory stays bounded by maxQueue)', async () => {
        const policy = bulkhead(1, 1);
        const gate = deferred<string>();
        const first = policy.execute(() => gate.promise);
        for (let i = 0; i < 1_000; i += 1) {
          const controller = new AbortController();
          const abandoned = policy.execute(() => Promise.resolve('never'), controller.signal);
          controller.abort(new Error('gave up'));
          await expect(abandoned).rejects.toThrow('gave up');
        }
        // White-box: the waiting list itself, which a leak would grow by one entry per abandoned caller.
        expect((policy as unknown as { queue: readonly unknown[] }).queue).toHaveLength(0);
        const next = policy.execute(() => Promise.resolve('next'));
        expect(policy.queued).toBe(1);
        gate.resolve('first');
        await expect(Promise.all([first, next])).resolves.toEqual(['first', 'next']);
        expect([policy.active, policy.queued]).toEqual([0, 0]);
      });
    });

    describe('when the operation fails', () => {
      it('should free the slot', async () => {
        const policy = bulkhead(1);
        await expect(policy.execute(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
        await expect(policy.execute(() => Promise.resolve('y'))).resolves.toBe('y');
      });
    });

    describe('for any interleaving of calls and completions', () => {
      it('should never run more than maxConcurrent nor queue more than maxQueue (property)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 4 }),
            fc.integer({ min: 0, max: 4 }),
            fc.array(fc.boolean(), { minLength: 1, maxLength: 50 }),
            async (maxConcurrent, maxQueue, script) => {
              const policy = bulkhead(maxConcurrent, maxQueue);
              let running = 0;
              const gates: Deferred<void>[] = [];
              const all: Promise<unknown>[] = [];
              for (const isCall of script) {
                if (isCall) {
                  all.push(
                    policy
                      .execute(() => {
                        running += 1;
                        const gate = deferred<void>();
                        gates.push(gate);
                        return gate.promise.finally(() => {
                          running -= 1;
                        });
                      })
                      .catch((e: unknown) => {
                        if (!(e instanceof BulkheadRejectedError)) throw e;
                      }),
                  );
                } else {
                  gates.shift()?.resolve();
                }
                for (let i = 0; i < 3; i += 1) await Promise.resolve();
                expect(running).toBeLessThanOrEqual(maxConcurrent);
                expect(policy.active).toBeLessThanOrEqual(maxConcurrent);
                expect(policy.queued).toBeLessThanOrEqual(maxQueue);
              }
              while (gates.length > 0 || policy.active > 0) {
                gates.shift()?.resolve();
                for (let i = 0; i < 3; i += 1) await Promise.resolve();
              }
              await Promise.all(all);
              expect([policy.active, policy.queued]).toEqual([0, 0]);
            },
          ),
          { seed: 5, numRuns: 150 },
        );
      });
    });
  });
});
