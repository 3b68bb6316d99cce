import { InvalidOptionError } from '@aegispay/domain';
import { deferred, FakeClock } from '@aegispay/domain/testing';
import { EnhancedCircuitBreaker } from '../breaker/enhanced-circuit-breaker';
import { CircuitBreakerOpenError } from '../breaker/circuit-breaker.errors';
import { bulkhead } from '../bulkhead/bulkhead-policy';
import { RetryPolicy } from '../retry/retry-policy';
import { RetryExhaustedError } from '../retry/retry.errors';
import { aTechnicalFailure, anApprovedCharge } from '../testing';
import { timeout } from '../timeout/timeout-policy';
import { OperationTimeoutError } from '../timeout/timeout.errors';
import { WrappedPolicy, wrap } from './wrap';

describe(WrappedPolicy, () => {
  let clock: FakeClock;

  beforeEach(() => {
    clock = new FakeClock();
  });

  describe('constructor', () => {
    describe('when given nothing or a non-policy', () => {
      it('should throw an InvalidOptionError', () => {
        expect(() => wrap()).toThrow(InvalidOptionError);
        expect(() => wrap({} as never)).toThrow(/policies\[0\]/);
      });
    });
  });

  describe('.execute', () => {
    describe('when composed as retry around breaker around timeout', () => {
      it('should time out each attempt, count the timeouts on the breaker, and retry until it opens', async () => {
        const breaker = new EnhancedCircuitBreaker('STRIPE', { clock, failureThreshold: 2 });
        const policy = wrap(
          new RetryPolicy({ clock, maxRetries: 5, initialBackoffMs: 10, jitterFactor: 0, shouldRetry: (e) => !(e instanceof CircuitBreakerOpenError) }),
          breaker,
          timeout(100, { clock }),
        );
        const attempts: (number | undefined)[] = [];
        const call = policy.execute(({ attempt, signal }) => {
          attempts.push(attempt);
          return new Promise<string>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
        });
        const outcome = expect(call).rejects.toBeInstanceOf(CircuitBreakerOpenError);
        await clock.runAll();
        await outcome;
        expect(attempts).toEqual([1, 2]);
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'OPEN', consecutiveFailures: 2 });
      });
    });

    describe('when a charge returns technical failures then an approval', () => {
      it('should retry the results through the breaker and return the approval', async () => {
        const breaker = new EnhancedCircuitBreaker('ADYEN', { clock, failureThreshold: 5 });
        const results = [aTechnicalFailure(), aTechnicalFailure(), anApprovedCharge()];
        const policy = wrap(
          new RetryPolicy({ clock, jitterFactor: 0, shouldRetryResult: (r) => (r as { outcome: string }).outcome === 'TECHNICAL_FAILURE' }),
          breaker,
        );
        const call = policy.execute(() => Promise.resolve(results.shift()));
        await clock.runAll();
        await expect(call).resolves.toEqual(anApprovedCharge());
        expect(breaker.getHealth()).toMatchObject({ totalCalls: 3, consecutiveSuccesses: 1, failureRate: 2 / 3 });
      });
    });

    describe('when every attempt times out', () => {
      it('should end with RetryExhaustedError whose cause is the timeout', async () => {
        const policy = wrap(new RetryPolicy({ clock, maxRetries: 1, jitterFactor: 0 }), timeout(50, { clock }));
        const never = deferred<string>();
        const call = policy.execute(() => never.promise);
        const outcome = expect(call).rejects.toBeInstanceOf(RetryExhaustedError);
        await clock.runAll();
        await outcome;
        const error = (await call.catch((e: unknown) => e)) as RetryExhaustedError;
        expect(error.cause).toBeInstanceOf(OperationTimeoutError);
      });
    });

    describe('when a RetryPolicy<T> is part of the composition', () => {
      it('should bound the operation results to T at compile time, nested or not', () => {
        const typed = wrap(new RetryPolicy<ReturnType<typeof anApprovedCharge>>({ clock }), new EnhancedCircuitBreaker('X', { clock }));
        const nested = wrap(typed, timeout(10, { clock }));
        // Never run: the assertions are the @ts-expect-error lines, checked by the typecheck target.
        const typeAssertions = (): unknown[] => [
          // @ts-expect-error a number is not an approved charge
          typed.execute(async () => 42),
          // @ts-expect-error the bound survives nesting
          nested.execute(async () => 'x'),
          nested.execute(async () => anApprovedCharge()),
          wrap(timeout(10, { clock })).execute(async () => 42),
        ];
        expect(typeof typeAssertions).toBe('function');
        expect(nested.policies).toHaveLength(2);
      });
    });

    describe('when the caller passes a signal', () => {
      it('should hand it down through every layer', async () => {
        const controller = new AbortController();
        let seen: AbortSignal | undefined;
        await wrap(bulkhead(1), new EnhancedCircuitBreaker('X', { clock })).execute(async ({ signal }) => {
          seen = signal;
        }, controller.signal);
        expect(seen).toBe(controller.signal);
      });
    });
  });
});
