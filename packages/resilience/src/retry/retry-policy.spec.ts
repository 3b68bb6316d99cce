import { AegisPayError, ValidationError, InvalidOptionError } from '@aegispay/domain';
import { FakeClock, SeededRandom } from '@aegispay/domain/testing';
import fc from 'fast-check';
import { scriptedOperation } from '../testing';
import { RetryPolicy, retry, type RetryEvent, type RetryOptions } from './retry-policy';
import { RetryExhaustedError } from './retry.errors';

class TransientError extends Error {
  override readonly name = 'TransientError';
}

/** A random source that plays fixed values, to pin jitter at its extremes. */
const fixedRandom = (...values: number[]): { next(): number } => {
  let i = 0;
  return { next: () => values[Math.min(i++, values.length - 1)] as number };
};

describe(RetryPolicy, () => {
  let clock: FakeClock;

  beforeEach(() => {
    clock = new FakeClock();
  });

  describe('constructor', () => {
    describe('when no option is given', () => {
      it('should apply the documented defaults', () => {
        const policy = new RetryPolicy();
        expect({
          maxRetries: policy.maxRetries,
          initialBackoffMs: policy.initialBackoffMs,
          maxBackoffMs: policy.maxBackoffMs,
          backoffMultiplier: policy.backoffMultiplier,
          jitterFactor: policy.jitterFactor,
          jitter: policy.jitter,
        }).toEqual({
          maxRetries: 3,
          initialBackoffMs: 100,
          maxBackoffMs: 10_000,
          backoffMultiplier: 2,
          jitterFactor: 0.1,
          jitter: 'proportional',
        });
      });
    });

    describe('when a numeric option is negative or not finite', () => {
      it.each<[keyof RetryOptions, number]>([
        ['maxRetries', -1],
        ['maxRetries', 1.5],
        ['maxRetries', Infinity],
        ['initialBackoffMs', -10],
        ['initialBackoffMs', NaN],
        ['maxBackoffMs', Infinity],
        ['backoffMultiplier', 0.5],
        ['jitterFactor', 1.5],
        ['jitterFactor', -0.1],
      ])('should throw an InvalidOptionError naming %s (%p)', (option, value) => {
        const attempt = (): RetryPolicy => new RetryPolicy({ [option]: value });
        expect(attempt).toThrow(InvalidOptionError);
        expect(attempt).toThrow(new RegExp(`Invalid option ${option}`));
        try {
          attempt();
        } catch (error) {
          expect(ValidationError.is(error) && error.field).toBe(option);
          expect(AegisPayError.is(error) && error.code).toBe('RESILIENCE.INVALID_OPTION');
        }
      });
    });

    describe('when jitter is not a known strategy', () => {
      it('should throw an InvalidOptionError naming jitter', () => {
        expect(() => new RetryPolicy({ jitter: 'gaussian' as 'full' })).toThrow(/Invalid option jitter/);
      });
    });

    describe('when a callback or port is not of the right shape', () => {
      it('should throw an InvalidOptionError naming it', () => {
        expect(() => new RetryPolicy({ shouldRetry: 42 as unknown as () => boolean })).toThrow(/Invalid option shouldRetry/);
        expect(() => new RetryPolicy({ clock: {} as FakeClock })).toThrow(/Invalid option clock/);
        expect(() => new RetryPolicy({ random: { next: 1 } as unknown as SeededRandom })).toThrow(/Invalid option random/);
      });
    });
  });

  describe('.execute', () => {
    describe('when the first attempt succeeds', () => {
      it('should return its result without waiting', async () => {
        const operation = scriptedOperation([{ value: 'ok' }]);
        const result = await new RetryPolicy({ clock }).execute(operation);
        expect(result).toBe('ok');
        expect(operation.calls).toBe(1);
        expect(clock.pendingTimers()).toBe(0);
      });
    });

    describe('when attempts throw and a later one succeeds', () => {
      it('should wait on the clock between attempts and pass 1-based attempt numbers', async () => {
        const seen: number[] = [];
        const policy = new RetryPolicy({ clock, random: new SeededRandom(1), jitterFactor: 0, initialBackoffMs: 100 });
        let settled = false;
        const promise = policy
          .execute(async ({ attempt }) => {
            seen.push(attempt);
            if (attempt < 3) throw new TransientError(`attempt ${attempt}`);
            return attempt;
          })
          .finally(() => {
            settled = true;
          });

        await clock.advance(99);
        expect(seen).toEqual([1]);
        await clock.advance(1);
        expect(seen).toEqual([1, 2]);
        await clock.advance(199);
        expect(settled).toBe(false);
        await clock.advance(1);
        await expect(promise).resolves.toBe(3);
        expect(seen).toEqual([1, 2, 3]);
      });
    });

    describe('when every attempt throws', () => {
      it('should reject with RetryExhaustedError after maxRetries + 1 calls, cause = last error', async () => {
        const last = new TransientError('still down');
        const operation = scriptedOperation<string>([{ error: new TransientError('down') }, { error: last }]);
        const promise = new RetryPolicy({ clock, maxRetries: 2 }).execute(operation);
        const outcome = expect(promise).rejects.toMatchObject({ attempts: 3, lastError: last, cause: last });
        await clock.runAll();
        await outcome;
        await expect(promise).rejects.toBeInstanceOf(RetryExhaustedError);
        expect(operation.calls).toBe(3);
      });
    });

    describe('when maxRetries is 0', () => {
      it('should call once and give up', async () => {
        const operation = scriptedOperation<string>([{ error: new TransientError('down') }]);
        await expect(new RetryPolicy({ clock, maxRetries: 0 }).execute(operation)).rejects.toMatchObject({ attempts: 1 });
        expect(operation.calls).toBe(1);
      });
    });

    describe('when the error is not retryable', () => {
      it('should propagate it unchanged after one call', async () => {
        const fatal = new TypeError('bad request');
        const operation = scriptedOperation<string>([{ error: fatal }]);
        const shouldRetry = jest.fn((error: unknown) => !(error instanceof TypeError));
        const promise = new RetryPolicy({ clock, shouldRetry }).execute(operation);
        await expect(promise).rejects.toBe(fatal);
        expect(operation.calls).toBe(1);
        expect(shouldRetry).toHaveBeenCalledWith(fatal, 1);
      });
    });

    describe('when an attempt throws an AbortError and no predicate is given', () => {
      it('should not retry it', async () => {
        const abort = new DOMException('aborted', 'AbortError');
        const operation = scriptedOperation<string>([{ error: abort }, { value: 'never' }]);
        await expect(new RetryPolicy({ clock }).execute(operation)).rejects.toBe(abort);
        expect(operation.calls).toBe(1);
      });
    });

    describe('when results are classified', () => {
      it('should retry failure results and return the first good one', async () => {
        const operation = scriptedOperation([{ value: { ok: false } }, { value: { ok: false } }, { value: { ok: true } }]);
        const policy = new RetryPolicy<{ ok: boolean }>({ clock, shouldRetryResult: (result) => !result.ok });
        const promise = policy.execute(operation);
        await clock.runAll();
        await expect(promise).resolves.toEqual({ ok: true });
        expect(operation.calls).toBe(3);
      });

      it('should reject with RetryExhaustedError carrying lastResult when every result is a failure', async () => {
        const failure = { outcome: 'TECHNICAL_FAILURE' as const };
        const operation = scriptedOperation([{ value: failure }]);
        const promise = new RetryPolicy<{ outcome: string }>({
          clock,
          maxRetries: 1,
          shouldRetryResult: (result) => result.outcome === 'TECHNICAL_FAILURE',
        }).execute(operation);
        const outcome = expect(promise).rejects.toMatchObject({ attempts: 2, lastResult: failure });
        await clock.runAll();
        await outcome;
        const error = (await promise.catch((e: unknown) => e)) as RetryExhaustedError;
        expect('lastError' in error).toBe(false);
        expect(error.cause).toBeUndefined();
      });
    });

    describe('when the signal aborts during a wait', () => {
      it('should reject with the signal reason and make no further attempt', async () => {
        const controller = new AbortController();
        const operation = scriptedOperation<string>([{ error: new TransientError('down') }]);
        const promise = new RetryPolicy({ clock }).execute(operation, controller.signal);
        await clock.advance(10);
        const reason = new Error('caller gave up');
        controller.abort(reason);
        await expect(promise).rejects.toBe(reason);
        await clock.runAll();
        expect(operation.calls).toBe(1);
        expect(clock.pendingTimers()).toBe(0);
      });
    });

    describe('when the signal is already aborted', () => {
      it('should reject with its reason without calling the operation', async () => {
        const controller = new AbortController();
        controller.abort(new Error('too late'));
        const operation = scriptedOperation([{ value: 1 }]);
        await expect(new RetryPolicy({ clock }).execute(operation, controller.signal)).rejects.toThrow('too late');
        expect(operation.calls).toBe(0);
      });
    });

    describe('when the signal aborts while an attempt is in flight', () => {
      it('should pass the signal to the attempt and reject with the reason', async () => {
        const controller = new AbortController();
        const reason = new Error('cancelled');
        const promise = new RetryPolicy({ clock, shouldRetry: () => true }).execute(
          ({ signal }) =>
            new Promise<never>((_, reject) => {
              signal?.addEventListener('abort', () => reject(new TransientError('socket closed')));
            }),
          controller.signal,
        );
        controller.abort(reason);
        await expect(promise).rejects.toBe(reason);
      });
    });

    describe('when onRetry is given', () => {
      it('should report each failed attempt and the delay before the next', async () => {
        const events: RetryEvent<number>[] = [];
        const error = new TransientError('down');
        const operation = scriptedOperation<number>([{ error }, { value: -1 }, { value: 7 }]);
        const promise = new RetryPolicy<number>({
          clock,
          jitterFactor: 0,
          initialBackoffMs: 10,
          shouldRetryResult: (result) => result < 0,
          onRetry: (event) => events.push(event),
        }).execute(operation);
        await clock.runAll();
        await expect(promise).resolves.toBe(7);
        expect(events).toEqual([
          { attempt: 1, delayMs: 10, error },
          { attempt: 2, delayMs: 20, result: -1 },
        ]);
      });
    });
  });

  describe('.computeDelay', () => {
    describe('when jitter is proportional (the spec table)', () => {
      it('should give 10, 20, 40, 80, 160 ms without jitter and cap at maxBackoffMs', () => {
        const policy = new RetryPolicy({ initialBackoffMs: 10, maxBackoffMs: 100, jitterFactor: 0 });
        expect([1, 2, 3, 4, 5].map((n) => policy.computeDelay(n))).toEqual([10, 20, 40, 80, 100]);
      });

      it('should reach exactly base × (1 − factor) and base × (1 + factor) at the extremes of the random source', () => {
        const policy = new RetryPolicy({ initialBackoffMs: 100, jitterFactor: 0.1, random: fixedRandom(0, 0.5, 1 - 2 ** -53) });
        expect(policy.computeDelay(1)).toBeCloseTo(90, 10);
        expect(policy.computeDelay(2)).toBe(200);
        expect(policy.computeDelay(3)).toBeCloseTo(440, 10);
      });

      it('should follow base × (1 + f × (2u − 1)) exactly for a seeded source', () => {
        const policy = new RetryPolicy({ initialBackoffMs: 10, maxBackoffMs: 1000, jitterFactor: 0.1, random: new SeededRandom(42) });
        const replay = new SeededRandom(42);
        for (let n = 1; n <= 10; n += 1) {
          const base = Math.min(1000, 10 * 2 ** (n - 1));
          expect(policy.computeDelay(n)).toBe(Math.min(1000, base * (1 + 0.1 * (2 * replay.next() - 1))));
        }
      });
    });

    describe('when jitter is full', () => {
      it('should draw uniformly in [0, base]', () => {
        const policy = new RetryPolicy({ jitter: 'full', initialBackoffMs: 100, random: new SeededRandom(7) });
        const replay = new SeededRandom(7);
        for (let n = 1; n <= 6; n += 1) {
          expect(policy.computeDelay(n)).toBe(replay.next() * 100 * 2 ** (n - 1));
        }
      });
    });

    describe('when jitter is decorrelated', () => {
      it('should draw in [initial, previous × (2m − 1)] from the delay actually waited', () => {
        const policy = new RetryPolicy({ jitter: 'decorrelated', initialBackoffMs: 10, maxBackoffMs: 10_000, random: new SeededRandom(3) });
        const replay = new SeededRandom(3);
        let previous = 10;
        for (let n = 1; n <= 8; n += 1) {
          const delay = policy.computeDelay(n, n === 1 ? undefined : previous);
          const ceiling = Math.max(10, previous * 3);
          expect(delay).toBe(Math.min(10_000, 10 + replay.next() * (ceiling - 10)));
          previous = delay;
        }
      });
    });

    describe('when retry is not a positive integer', () => {
      it('should throw an InvalidOptionError naming retry', () => {
        expect(() => new RetryPolicy().computeDelay(0)).toThrow(InvalidOptionError);
        expect(() => new RetryPolicy().computeDelay(1.5)).toThrow(/Invalid option retry/);
      });
    });

    describe('when previousDelayMs is not a finite number ≥ 0', () => {
      it.each([Number.NaN, -1, Infinity])('should throw an InvalidOptionError rather than return a NaN delay (%p)', (previous) => {
        const policy = new RetryPolicy({ jitter: 'decorrelated', random: new SeededRandom(1) });
        expect(() => policy.computeDelay(2, previous)).toThrow(/Invalid option previousDelayMs/);
      });
    });

    describe('for any options, retry number and seed', () => {
      it('should stay in [0, maxBackoffMs] and, when proportional, within ±jitterFactor of the capped base', () => {
        fc.assert(
          fc.property(
            fc.record({
              initialBackoffMs: fc.double({ min: 0, max: 5_000, noNaN: true }),
              maxBackoffMs: fc.double({ min: 0, max: 60_000, noNaN: true }),
              backoffMultiplier: fc.double({ min: 1, max: 10, noNaN: true }),
              jitterFactor: fc.double({ min: 0, max: 1, noNaN: true }),
              jitter: fc.constantFrom('proportional' as const, 'full' as const, 'decorrelated' as const),
            }),
            fc.integer({ min: 1, max: 2_000 }),
            fc.integer(),
            (options, n, seed) => {
              const policy = new RetryPolicy({ ...options, random: new SeededRandom(seed) });
              const delay = policy.computeDelay(n);
              expect(delay).toBeGreaterThanOrEqual(0);
              expect(delay).toBeLessThanOrEqual(options.maxBackoffMs);
              if (options.jitter === 'proportional') {
                const base = Math.min(options.maxBackoffMs, options.initialBackoffMs === 0 ? 0 : options.initialBackoffMs * options.backoffMultiplier ** (n - 1));
                expect(delay).toBeGreaterThanOrEqual(base * (1 - options.jitterFactor) - 1e-9);
                expect(delay).toBeLessThanOrEqual(Math.min(options.maxBackoffMs, base * (1 + options.jitterFactor)) + 1e-9);
              }
            },
          ),
          { seed: 20260101, numRuns: 500 },
        );
      });
    });
  });
});

describe(retry, () => {
  describe('when called with options and a signal', () => {
    it('should behave like RetryPolicy.execute', async () => {
      const clock = new FakeClock();
      const operation = scriptedOperation<string>([{ error: new TransientError('down') }, { value: 'done' }]);
      const promise = retry(operation, { clock, maxRetries: 1, signal: new AbortController().signal });
      await clock.runAll();
      await expect(promise).resolves.toBe('done');
      expect(operation.calls).toBe(2);
    });
  });
});
