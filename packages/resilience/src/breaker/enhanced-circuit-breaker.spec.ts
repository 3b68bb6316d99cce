import { AegisPayError, ValidationError, InvalidOptionError } from '@aegispay/domain';
import { deferred, FakeClock } from '@aegispay/domain/testing';
import fc from 'fast-check';
import { BulkheadRejectedError } from '../bulkhead/bulkhead.errors';
import { aDeclinedCharge, aTechnicalFailure, anApprovedCharge, anUnknownOutcome } from '../testing';
import type { CallFailureEvent, CallRejectedEvent, CallSuccessEvent, StateChangeEvent } from './circuit-breaker-events';
import type { CircuitBreakerOptions } from './circuit-breaker-options';
import { CircuitBreakerOpenError, InvalidSnapshotError } from './circuit-breaker.errors';
import { EnhancedCircuitBreaker } from './enhanced-circuit-breaker';

const ok = (): Promise<string> => Promise.resolve('ok');
const down = new Error('gateway down');
const boom = (): Promise<string> => Promise.reject(down);

describe(EnhancedCircuitBreaker, () => {
  let clock: FakeClock;
  const create = (options: CircuitBreakerOptions = {}, name = 'STRIPE'): EnhancedCircuitBreaker =>
    new EnhancedCircuitBreaker(name, { clock, ...options });
  const fail = async (breaker: EnhancedCircuitBreaker, times: number): Promise<void> => {
    for (let i = 0; i < times; i += 1) await breaker.execute(boom).catch(() => undefined);
  };
  const succeed = async (breaker: EnhancedCircuitBreaker, times: number): Promise<void> => {
    for (let i = 0; i < times; i += 1) await breaker.execute(ok);
  };
  /** Opens a breaker through consecutive failures. */
  const opened = async (options: CircuitBreakerOptions = {}): Promise<EnhancedCircuitBreaker> => {
    const breaker = create({ failureThreshold: 3, ...options });
    await fail(breaker, 3);
    expect(breaker.state).toBe('OPEN');
    return breaker;
  };

  beforeEach(() => {
    clock = new FakeClock();
  });

  describe('constructor', () => {
    describe('when options are valid', () => {
      it('should start CLOSED, healthy, with no calls', () => {
        const health = create().getHealth();
        expect(health).toMatchObject({
          gateway: 'STRIPE',
          circuitState: 'CLOSED',
          successRate: 1,
          failureRate: 0,
          totalCalls: 0,
          openCount: 0,
          lastFailureAt: null,
          lastStateChangeAt: clock.now(),
          timeUntilRetry: 0,
          isolated: false,
        });
        expect(health.healthScore).toBeCloseTo(0.8, 10);
      });
    });

    describe('when no option but the clock is given', () => {
      it('should act on the documented defaults (5 failures, 60 s open, 5 probes, 3 successes, 30 s half-open, 0.5 score)', async () => {
        const breaker = create();
        expect(breaker.minHealthScore).toBe(0.5);
        await fail(breaker, 4);
        expect(breaker.state).toBe('CLOSED');
        await fail(breaker, 1);
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'OPEN', timeUntilRetry: 60_000 });
        await clock.advance(60_000);
        const probes = Array.from({ length: 5 }, () => deferred<string>());
        const calls = probes.map((probe) => breaker.execute(() => probe.promise));
        await expect(breaker.execute(ok)).rejects.toMatchObject({ reason: 'HALF_OPEN_FULL' });
        for (const probe of probes.slice(0, 2)) probe.resolve('ok');
        await Promise.all(calls.slice(0, 2));
        await clock.advance(29_999);
        expect(breaker.state).toBe('HALF_OPEN');
        await clock.advance(1); // 30 s after the first probe with 2 of 3 successes: re-opened
        expect(breaker.state).toBe('OPEN');
        for (const probe of probes.slice(2)) probe.resolve('ok');
        await Promise.all(calls);

        await clock.advance(60_000);
        await succeed(breaker, 2);
        expect(breaker.state).toBe('HALF_OPEN');
        await succeed(breaker, 1);
        expect(breaker.state).toBe('CLOSED');
      });
    });

    describe('when an option is invalid', () => {
      it.each<[string, CircuitBreakerOptions]>([
        ['failureThreshold', { failureThreshold: 0 }],
        ['failureRateThreshold', { failureRateThreshold: 0 }],
        ['failureRateThreshold', { failureRateThreshold: 1.2 }],
        ['minimumNumberOfCalls', { minimumNumberOfCalls: 2.5 }],
        ['slidingWindowType', { slidingWindowType: 'sliding' as 'count' }],
        ['slidingWindowSize', { slidingWindowSize: 0 }],
        ['successThreshold', { successThreshold: -1 }],
        ['openTimeout', { openTimeout: Infinity }],
        ['halfOpenTimeout', { halfOpenTimeout: 0 }],
        ['halfOpenMaxAttempts', { halfOpenMaxAttempts: 0 }],
        ['maxOpenTimeout', { openTimeout: 1000, maxOpenTimeout: 999 }],
        ['adaptiveThresholds', { adaptiveThresholds: 'yes' as unknown as boolean }],
        ['minHealthScore', { minHealthScore: 2 }],
        ['slowCallDurationThreshold', { slowCallDurationThreshold: -5 }],
        ['slowCallRateThreshold', { slowCallRateThreshold: 0 }],
        ['isFailureResult', { isFailureResult: 'x' as unknown as () => boolean }],
        ['clock', { clock: { now: () => 0 } as unknown as FakeClock }],
      ])('should throw an InvalidOptionError naming %s', (option, options) => {
        expect(() => create(options)).toThrow(InvalidOptionError);
        try {
          create(options);
        } catch (error) {
          expect(ValidationError.is(error) && error.field).toBe(option);
        }
      });

      it('should reject an empty name', () => {
        expect(() => new EnhancedCircuitBreaker(' ', { clock })).toThrow(/Invalid option name/);
      });
    });
  });

  describe('.execute', () => {
    describe('when closed and the call succeeds', () => {
      it('should return the result and count a success', async () => {
        const breaker = create();
        await expect(breaker.execute(ok)).resolves.toBe('ok');
        expect(breaker.getHealth()).toMatchObject({ totalCalls: 1, consecutiveSuccesses: 1, callsInWindow: 1 });
      });
    });

    describe('when the call throws', () => {
      it('should rethrow the same error and count a failure', async () => {
        const breaker = create();
        await expect(breaker.execute(boom)).rejects.toBe(down);
        expect(breaker.getHealth()).toMatchObject({ consecutiveFailures: 1, failureRate: 1, lastFailureAt: clock.now() });
      });

      it('should treat a synchronous throw like a rejection', async () => {
        const breaker = create();
        const thrower = (): Promise<string> => {
          throw down;
        };
        await expect(breaker.execute(thrower)).rejects.toBe(down);
        expect(breaker.getHealth().consecutiveFailures).toBe(1);
      });
    });

    describe('when failureThreshold consecutive failures happen', () => {
      it('should open, and then fail fast without calling the operation', async () => {
        const breaker = create({ failureThreshold: 5, openTimeout: 60_000 });
        await fail(breaker, 4);
        expect(breaker.state).toBe('CLOSED');
        await fail(breaker, 1);
        expect(breaker.state).toBe('OPEN');

        await clock.advance(15_000);
        const operation = jest.fn(ok);
        const error = await breaker.execute(operation).catch((e: unknown) => e);
        expect(operation).not.toHaveBeenCalled();
        expect(error).toBeInstanceOf(CircuitBreakerOpenError);
        expect(AegisPayError.is(error) && error.code).toBe('RESILIENCE.CIRCUIT_OPEN');
        const open = error as CircuitBreakerOpenError;
        expect(open.health.timeUntilRetry).toBe(45_000);
        expect(open.health.circuitState).toBe('OPEN');
        expect(open.reason).toBe('OPEN');
        expect(open.message).toMatch(/STRIPE is OPEN: failing fast\. Retry in 45000 ms/);
      });
    });

    describe('when a success interrupts the failures', () => {
      it('should restart the consecutive count', async () => {
        const breaker = create({ failureThreshold: 3 });
        await fail(breaker, 2);
        await succeed(breaker, 1);
        await fail(breaker, 2);
        expect(breaker.state).toBe('CLOSED');
        expect(breaker.getHealth().consecutiveFailures).toBe(2);
      });
    });

    describe('when the failure rate reaches its threshold', () => {
      it('should open only once the window holds minimumNumberOfCalls calls', async () => {
        const breaker = create({ failureThreshold: 100, failureRateThreshold: 0.5, minimumNumberOfCalls: 10 });
        // 5 failures interleaved with 4 successes: 55 % over 9 calls, below the minimum.
        for (let i = 0; i < 4; i += 1) {
          await fail(breaker, 1);
          await succeed(breaker, 1);
        }
        await fail(breaker, 1);
        expect(breaker.getHealth()).toMatchObject({ callsInWindow: 9, circuitState: 'CLOSED' });
        await succeed(breaker, 1); // 10 calls, 50 %: only failures are judged
        expect(breaker.state).toBe('CLOSED');
        await fail(breaker, 1); // 11 calls, 6 failures: 54.5 %
        expect(breaker.state).toBe('OPEN');
      });

      it('should not open below the threshold', async () => {
        const breaker = create({ failureThreshold: 100, failureRateThreshold: 0.5, minimumNumberOfCalls: 10 });
        for (let i = 0; i < 20; i += 1) {
          await succeed(breaker, 2);
          await fail(breaker, 1);
        }
        expect(breaker.state).toBe('CLOSED');
        expect(breaker.getHealth().failureRate).toBeCloseTo(1 / 3, 1);
      });

      it('should never open on a rate before the minimum, whatever the outcomes (property)', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 29 }), fc.integer({ min: 1, max: 100 }), async (outcomes, rate) => {
            const breaker = create({ failureThreshold: 1_000, failureRateThreshold: rate / 100, minimumNumberOfCalls: 30 });
            for (const failed of outcomes) await breaker.execute(failed ? boom : ok).catch(() => undefined);
            expect(breaker.state).toBe('CLOSED');
          }),
          { seed: 4242, numRuns: 200 },
        );
      });

      it('should open as soon as the minimum is met with a rate at or above the threshold (property)', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), async (outcomes) => {
            const breaker = create({ failureThreshold: 1_000, failureRateThreshold: 0.5, minimumNumberOfCalls: 10 });
            for (const failed of outcomes) await breaker.execute(failed ? boom : ok).catch(() => undefined);
            const failures = outcomes.filter(Boolean).length;
            // Only a failure triggers a judgement, so the last call must be one for the rate to be judged at 10 calls.
            const judged = outcomes[9] === true;
            expect(breaker.state).toBe(judged && failures >= 5 ? 'OPEN' : 'CLOSED');
          }),
          { seed: 777, numRuns: 200 },
        );
      });

      it('should let old calls slide out of a count window', async () => {
        const breaker = create({ failureThreshold: 100, failureRateThreshold: 0.5, minimumNumberOfCalls: 4, slidingWindowSize: 4 });
        await fail(breaker, 1);
        await succeed(breaker, 3); // window: F S S S
        await succeed(breaker, 1); // window: S S S S
        expect(breaker.getHealth()).toMatchObject({ callsInWindow: 4, failureRate: 0 });
        await fail(breaker, 1); // S S S F: 25 %
        expect(breaker.state).toBe('CLOSED');
      });

      it('should forget calls older than a time window', async () => {
        const breaker = create({ failureThreshold: 100, failureRateThreshold: 0.5, minimumNumberOfCalls: 4, slidingWindowType: 'time', slidingWindowSize: 10 });
        await fail(breaker, 3);
        await clock.advance(11_000);
        expect(breaker.getHealth()).toMatchObject({ callsInWindow: 0, successRate: 1 });
        await succeed(breaker, 3);
        await fail(breaker, 1); // 1 of 4 in the window
        expect(breaker.state).toBe('CLOSED');
        await fail(breaker, 2); // 3 of 6
        expect(breaker.state).toBe('OPEN');
      });
    });

    describe('when the operation returns charge results', () => {
      it('should count declines as successes: 100 declines never open the breaker', async () => {
        const breaker = create({ failureThreshold: 3, minimumNumberOfCalls: 5 });
        for (let i = 0; i < 100; i += 1) {
          await expect(breaker.execute(() => Promise.resolve(aDeclinedCharge()))).resolves.toEqual(aDeclinedCharge());
        }
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'CLOSED', successRate: 1, consecutiveSuccesses: 100 });
      });

      it('should count technical failures and unknown outcomes as failures, and return them rather than throw', async () => {
        const breaker = create({ failureThreshold: 2 });
        await expect(breaker.execute(() => Promise.resolve(aTechnicalFailure()))).resolves.toEqual(aTechnicalFailure());
        expect(breaker.getHealth().consecutiveFailures).toBe(1);
        await expect(breaker.execute(() => Promise.resolve(anUnknownOutcome()))).resolves.toEqual(anUnknownOutcome());
        expect(breaker.state).toBe('OPEN');
      });

      it('should count approvals as successes', async () => {
        const breaker = create({ failureThreshold: 1 });
        await breaker.execute(() => Promise.resolve(anApprovedCharge()));
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'CLOSED', consecutiveSuccesses: 1 });
      });

      it('should use isFailureResult when given', async () => {
        const breaker = create({ failureThreshold: 1, isFailureResult: (r) => (r as { status: number }).status >= 500 });
        await breaker.execute(() => Promise.resolve({ status: 404 }));
        expect(breaker.state).toBe('CLOSED');
        await breaker.execute(() => Promise.resolve({ status: 502 }));
        expect(breaker.state).toBe('OPEN');
      });

      it('should count the call as a failure and still return the result when the classifier throws', async () => {
        const breaker = create({
          failureThreshold: 1,
          isFailureResult: () => {
            throw new TypeError('classifier bug');
          },
        });
        await expect(breaker.execute(() => Promise.resolve(anApprovedCharge()))).resolves.toEqual(anApprovedCharge());
        expect(breaker.state).toBe('OPEN');
      });
    });

    describe('when errors are classified', () => {
      it('should ignore errors isFailure rejects', async () => {
        const breaker = create({ failureThreshold: 1, isFailure: (e) => !(e instanceof RangeError) });
        await breaker.execute(() => Promise.reject(new RangeError('bad input'))).catch(() => undefined);
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'CLOSED', totalCalls: 0 });
      });

      it('should not count a nested policy refusal by default', async () => {
        const breaker = create({ failureThreshold: 1 });
        await breaker.execute(() => Promise.reject(new BulkheadRejectedError(1, 0))).catch(() => undefined);
        expect(breaker.state).toBe('CLOSED');
      });
    });

    describe('when calls are slow', () => {
      it('should open on the slow-call rate even though every call succeeded', async () => {
        const breaker = create({ slowCallDurationThreshold: 1_000, slowCallRateThreshold: 0.5, minimumNumberOfCalls: 4, failureThreshold: 100 });
        const slowCall = async (ms: number): Promise<void> => {
          const pending = deferred<string>();
          const call = breaker.execute(() => pending.promise);
          await clock.advance(ms);
          pending.resolve('ok');
          await call;
        };
        await slowCall(100);
        await slowCall(1_500);
        await slowCall(100);
        expect(breaker.getHealth()).toMatchObject({ slowCallRate: 1 / 3, circuitState: 'CLOSED' });
        await slowCall(2_000);
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'OPEN', failureRate: 0 });
      });

      it('should not time calls when slow-call detection is off', async () => {
        const breaker = create({ failureThreshold: 1 });
        const pending = deferred<string>();
        const call = breaker.execute(() => pending.promise);
        await clock.advance(3_600_000);
        pending.resolve('ok');
        await call;
        expect(breaker.getHealth()).toMatchObject({ slowCallRate: 0, circuitState: 'CLOSED' });
      });
    });

    describe('when a signal is given', () => {
      it('should pass it to the operation', async () => {
        const controller = new AbortController();
        let seen: AbortSignal | undefined;
        await create().execute(async ({ signal }) => {
          seen = signal;
          return 1;
        }, controller.signal);
        expect(seen).toBe(controller.signal);
      });

      it('should reject with the reason without calling when already aborted', async () => {
        const controller = new AbortController();
        controller.abort(new Error('caller left'));
        const operation = jest.fn(ok);
        await expect(create().execute(operation, controller.signal)).rejects.toThrow('caller left');
        expect(operation).not.toHaveBeenCalled();
      });

      it('should not count an error that follows the caller aborting', async () => {
        const breaker = create({ failureThreshold: 1 });
        const controller = new AbortController();
        const call = breaker.execute(
          ({ signal }) => new Promise<string>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
          controller.signal,
        );
        controller.abort(new Error('caller left'));
        await expect(call).rejects.toThrow('caller left');
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'CLOSED', totalCalls: 0 });
      });
    });
  });

  describe('state transitions', () => {
    describe('when openTimeout elapses', () => {
      it('should move OPEN → HALF_OPEN exactly at openTimeout', async () => {
        const breaker = await opened({ openTimeout: 30_000 });
        await clock.advance(29_999);
        expect(breaker.state).toBe('OPEN');
        expect(breaker.getHealth().timeUntilRetry).toBe(1);
        await clock.advance(1);
        expect(breaker.state).toBe('HALF_OPEN');
      });
    });

    describe('when half-open probes succeed', () => {
      it('should close after successThreshold successes and forget the window', async () => {
        const breaker = await opened({ openTimeout: 1_000, successThreshold: 3 });
        await clock.advance(1_000);
        await succeed(breaker, 2);
        expect(breaker.state).toBe('HALF_OPEN');
        await succeed(breaker, 1);
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'CLOSED', callsInWindow: 0, consecutiveSuccesses: 3 });
      });
    });

    describe('when a half-open probe fails', () => {
      it('should re-open for another openTimeout', async () => {
        const breaker = await opened({ openTimeout: 1_000 });
        await clock.advance(1_000);
        await succeed(breaker, 1);
        await fail(breaker, 1);
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'OPEN', openCount: 2, timeUntilRetry: 1_000 });
      });
    });

    describe('when a half-open probe is slow', () => {
      it('should re-open', async () => {
        const breaker = await opened({ openTimeout: 1_000, slowCallDurationThreshold: 500 });
        await clock.advance(1_000);
        const pending = deferred<string>();
        const call = breaker.execute(() => pending.promise);
        await clock.advance(600);
        pending.resolve('ok');
        await expect(call).resolves.toBe('ok');
        expect(breaker.state).toBe('OPEN');
      });
    });

    describe('when halfOpenTimeout elapses after the first probe without enough successes', () => {
      it('should re-open (a hung probe cannot keep the breaker half-open)', async () => {
        const breaker = await opened({ openTimeout: 1_000, halfOpenTimeout: 5_000, successThreshold: 2 });
        await clock.advance(1_000);
        const hung = deferred<string>();
        void breaker.execute(() => hung.promise);
        await clock.advance(4_999);
        expect(breaker.state).toBe('HALF_OPEN');
        await clock.advance(1);
        expect(breaker.state).toBe('OPEN');
        hung.resolve('late');
        await Promise.resolve();
        expect(breaker.state).toBe('OPEN');
      });
    });

    describe('when a probe lands after halfOpenTimeout and nobody read the breaker meanwhile', () => {
      it('should find it re-opened, not count toward closing it', async () => {
        const breaker = await opened({ openTimeout: 1_000, halfOpenTimeout: 5_000, successThreshold: 2 });
        await clock.advance(1_000);
        const first = deferred<string>();
        const late = deferred<string>();
        const calls = [breaker.execute(() => first.promise), breaker.execute(() => late.promise)];
        first.resolve('ok');
        await calls[0];
        await clock.advance(5_000); // the half-open period is over; nothing reads the breaker
        late.resolve('ok');
        await calls[1];
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'OPEN', openCount: 2 });
      });
    });

    describe('when a hung probe let the half-open period run out long before the next call', () => {
      it('should have re-opened at the deadline and be half-open again by now, as timers would have it', async () => {
        const breaker = await opened({ openTimeout: 1_000, halfOpenTimeout: 5_000, successThreshold: 1 });
        const start = clock.now();
        await clock.advance(1_000);
        const hung = deferred<string>();
        void breaker.execute(() => hung.promise);
        const changes: StateChangeEvent[] = [];
        breaker.onStateChange((e) => changes.push(e));
        await clock.advance(99_000); // re-opened at +6 s, half-open again at +7 s; nobody looked

        await expect(breaker.execute(ok)).resolves.toBe('ok');
        expect(changes.map((e) => [e.to, e.reason, e.at - start])).toEqual([
          ['OPEN', 'HALF_OPEN_TIMEOUT', 6_000],
          ['HALF_OPEN', 'OPEN_TIMEOUT_ELAPSED', 7_000],
          ['CLOSED', 'SUCCESS_THRESHOLD', 100_000],
        ]);
        hung.resolve('late');
      });
    });

    describe('when a half-open breaker gets no probe', () => {
      it('should stay half-open however long it waits', async () => {
        const breaker = await opened({ openTimeout: 1_000, halfOpenTimeout: 5_000 });
        await clock.advance(1_000);
        expect(breaker.state).toBe('HALF_OPEN');
        await clock.advance(60_000);
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'HALF_OPEN', openCount: 1 });
      });
    });

    describe('when calls started in an earlier state finish late', () => {
      it('should report them without letting them move the new state', async () => {
        const breaker = create({ failureThreshold: 2, openTimeout: 1_000, successThreshold: 1 });
        const slow = deferred<string>();
        const late = breaker.execute(() => slow.promise);
        await fail(breaker, 2);
        expect(breaker.state).toBe('OPEN');
        await clock.advance(1_000);
        expect(breaker.state).toBe('HALF_OPEN');
        slow.resolve('late success');
        await late;
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'HALF_OPEN', totalCalls: 3 });
      });
    });

    describe('when many calls race while half-open', () => {
      it('should never have more than halfOpenMaxAttempts probes in flight (property)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 6 }),
            fc.array(fc.constantFrom('call', 'succeed', 'fail', 'tick'), { minLength: 1, maxLength: 60 }),
            async (maxAttempts, script) => {
              clock = new FakeClock();
              const breaker = create({ failureThreshold: 1, openTimeout: 100, halfOpenTimeout: 10_000, halfOpenMaxAttempts: maxAttempts, successThreshold: 1_000 });
              await fail(breaker, 1);
              await clock.advance(100);
              let inFlight = 0;
              let maxSeen = 0;
              const pending: ReturnType<typeof deferred<string>>[] = [];
              const settled: Promise<unknown>[] = [];
              for (const step of script) {
                if (step === 'call') {
                  const d = deferred<string>();
                  settled.push(
                    breaker
                      .execute(() => {
                        inFlight += 1;
                        maxSeen = Math.max(maxSeen, inFlight);
                        pending.push(d);
                        return d.promise.finally(() => {
                          inFlight -= 1;
                        });
                      })
                      .catch((error: unknown) => {
                        if (!(error instanceof CircuitBreakerOpenError) && error !== down) throw error;
                      }),
                  );
                } else if (step === 'tick') {
                  await clock.advance(50);
                } else {
                  const d = pending.shift();
                  if (step === 'succeed') d?.resolve('ok');
                  else d?.reject(down);
                  await Promise.resolve();
                }
                const health = breaker.getHealth();
                if (health.circuitState === 'HALF_OPEN') expect(inFlight).toBeLessThanOrEqual(maxAttempts);
              }
              for (const d of pending) d.resolve('ok');
              await Promise.all(settled);
              expect(maxSeen).toBeLessThanOrEqual(maxAttempts);
            },
          ),
          { seed: 99, numRuns: 150 },
        );
      });

      it('should fail fast with reason HALF_OPEN_FULL beyond the limit', async () => {
        const breaker = await opened({ openTimeout: 1_000, halfOpenMaxAttempts: 2 });
        await clock.advance(1_000);
        const a = deferred<string>();
        const b = deferred<string>();
        void breaker.execute(() => a.promise);
        void breaker.execute(() => b.promise);
        expect(breaker.isCallPermitted()).toBe(false);
        await expect(breaker.execute(ok)).rejects.toMatchObject({ reason: 'HALF_OPEN_FULL', health: { circuitState: 'HALF_OPEN' } });
        a.resolve('ok');
        await a.promise;
        await Promise.resolve();
        expect(breaker.isCallPermitted()).toBe(true);
        b.resolve('ok');
      });
    });
  });

  describe('adaptiveThresholds', () => {
    describe('when recovery keeps failing', () => {
      it('should double the open timeout each time up to maxOpenTimeout, and reset it on close', async () => {
        const breaker = await opened({ openTimeout: 1_000, maxOpenTimeout: 5_000, adaptiveThresholds: true, successThreshold: 1 });
        const periods: number[] = [breaker.getHealth().timeUntilRetry];
        for (let i = 0; i < 4; i += 1) {
          await clock.advance(periods[periods.length - 1] as number);
          await fail(breaker, 1); // failed probe
          periods.push(breaker.getHealth().timeUntilRetry);
        }
        expect(periods).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
        await clock.advance(5_000);
        await succeed(breaker, 1);
        expect(breaker.state).toBe('CLOSED');
        await fail(breaker, 3);
        expect(breaker.getHealth().timeUntilRetry).toBe(1_000);
      });
    });

    describe('when the option is off', () => {
      it('should keep the open timeout constant', async () => {
        const breaker = await opened({ openTimeout: 1_000 });
        await clock.advance(1_000);
        await fail(breaker, 1);
        expect(breaker.getHealth().timeUntilRetry).toBe(1_000);
      });
    });

    describe('when the breaker has just recovered', () => {
      it('should halve the consecutive-failure threshold until the window holds minimumNumberOfCalls calls', async () => {
        const options = { failureThreshold: 4, openTimeout: 1_000, successThreshold: 1, minimumNumberOfCalls: 5, adaptiveThresholds: true };
        const breaker = create(options);
        await fail(breaker, 4);
        await clock.advance(1_000);
        await succeed(breaker, 1); // closes: probation of 5 calls
        await fail(breaker, 2); // half of 4
        expect(breaker.getHealth()).toMatchObject({ circuitState: 'OPEN', openCount: 2 });

        await clock.advance(1_000);
        await succeed(breaker, 1);
        await succeed(breaker, 5); // probation over
        await fail(breaker, 3);
        expect(breaker.state).toBe('CLOSED');
        await fail(breaker, 1);
        expect(breaker.state).toBe('OPEN');
      });
    });
  });

  describe('.isolate', () => {
    describe('when called on a closed breaker', () => {
      it('should open it until reset, with no probe however long it waits', async () => {
        const breaker = create({ openTimeout: 1_000 });
        const events: StateChangeEvent[] = [];
        breaker.onOpen((e) => events.push(e));
        breaker.isolate();
        await clock.advance(3_600_000);
        await expect(breaker.execute(ok)).rejects.toMatchObject({ reason: 'ISOLATED', health: { timeUntilRetry: Infinity, isolated: true } });
        expect(breaker.state).toBe('OPEN');
        expect(events).toEqual([expect.objectContaining({ from: 'CLOSED', to: 'OPEN', reason: 'ISOLATED' })]);
        breaker.reset();
        await expect(breaker.execute(ok)).resolves.toBe('ok');
      });
    });
  });

  describe('.reset', () => {
    describe('when the breaker is open', () => {
      it('should close it, clear recent history and keep lifetime counters', async () => {
        const breaker = await opened();
        breaker.reset();
        expect(breaker.getHealth()).toMatchObject({
          circuitState: 'CLOSED',
          callsInWindow: 0,
          consecutiveFailures: 0,
          openCount: 1,
          totalCalls: 3,
          isolated: false,
        });
      });
    });
  });

  describe('.getHealth', () => {
    describe('when the breaker has a mixed history', () => {
      it('should follow the spec formula with saturated streak terms', async () => {
        const breaker = create({ failureThreshold: 4, successThreshold: 2, minimumNumberOfCalls: 4, failureRateThreshold: 0.6 });
        await fail(breaker, 1);
        await succeed(breaker, 3); // rate 0.75, 3 successes in a row (saturated at 2)
        expect(breaker.getHealth().healthScore).toBeCloseTo(0.5 + 0.3 * 0.75 + 0.1, 10);
        await fail(breaker, 2); // rate 0.5, 2 of 4 failures
        expect(breaker.getHealth().healthScore).toBeCloseTo(0.5 + 0.3 * 0.5 - 0.05, 10);
      });
    });

    describe('when the window holds fewer than minimumNumberOfCalls calls', () => {
      it('should count the missing calls as successes in the score, and report the raw rate', async () => {
        const breaker = create({ failureThreshold: 5, minimumNumberOfCalls: 20 });
        await fail(breaker, 1);

        const health = breaker.getHealth();
        expect(health.successRate).toBe(0);
        expect(health.healthScore).toBeCloseTo(0.5 + 0.3 * (19 / 20) - 0.1 * (1 / 5), 10);
        expect(breaker.isHealthy()).toBe(true);

        await succeed(breaker, 19); // the window is full: the observed rate counts as it is
        expect(breaker.getHealth().healthScore).toBeCloseTo(0.5 + 0.3 * 0.95 + 0.1, 10);
      });
    });

    describe('when the breaker is open', () => {
      it('should drop the state term to 0', async () => {
        const breaker = await opened({ minimumNumberOfCalls: 3 }); // 3 failures of 3, threshold 3
        expect(breaker.getHealth().healthScore).toBe(0);
        expect(breaker.isHealthy()).toBe(false);
        expect(breaker.isHealthy(0)).toBe(true);
      });
    });
  });

  describe('events', () => {
    describe('when the breaker goes through a full cycle', () => {
      it('should emit every event type with gateway and clock time', async () => {
        const breaker = create({ failureThreshold: 1, openTimeout: 1_000, successThreshold: 1 });
        const seen: string[] = [];
        const changes: StateChangeEvent[] = [];
        const successes: CallSuccessEvent[] = [];
        const failures: CallFailureEvent[] = [];
        const rejects: CallRejectedEvent[] = [];
        breaker.onStateChange((e) => changes.push(e));
        breaker.onOpen((e) => seen.push(`open:${e.reason}`));
        breaker.onHalfOpen((e) => seen.push(`half:${e.reason}`));
        breaker.onClose((e) => seen.push(`close:${e.reason}`));
        breaker.onSuccess((e) => successes.push(e));
        breaker.onFailure((e) => failures.push(e));
        breaker.onReject((e) => rejects.push(e));

        const start = clock.now();
        await breaker.execute(() => Promise.resolve(aTechnicalFailure()));
        await breaker.execute(ok).catch(() => undefined);
        await clock.advance(1_000);
        await breaker.execute(ok);

        expect(seen).toEqual(['open:FAILURE_THRESHOLD', 'half:OPEN_TIMEOUT_ELAPSED', 'close:SUCCESS_THRESHOLD']);
        expect(changes.map((e) => [e.from, e.to, e.at - start])).toEqual([
          ['CLOSED', 'OPEN', 0],
          ['OPEN', 'HALF_OPEN', 1_000],
          ['HALF_OPEN', 'CLOSED', 1_000],
        ]);
        expect(failures).toEqual([{ gateway: 'STRIPE', at: start, durationMs: 0, slow: false, result: aTechnicalFailure() }]);
        expect(successes).toEqual([{ gateway: 'STRIPE', at: start + 1_000, durationMs: 0, slow: false }]);
        expect(rejects).toEqual([{ gateway: 'STRIPE', at: start, state: 'OPEN', reason: 'OPEN', timeUntilRetry: 1_000 }]);
      });

      it('should carry the thrown error on failure events', async () => {
        const breaker = create();
        const failures: CallFailureEvent[] = [];
        breaker.onFailure((e) => failures.push(e));
        await fail(breaker, 1);
        expect(failures[0]?.error).toBe(down);
        expect(failures[0] && 'result' in failures[0]).toBe(false);
      });
    });

    describe('when a listener unsubscribes', () => {
      it('should stop receiving events, and unsubscribing twice is harmless', async () => {
        const breaker = create();
        const listener = jest.fn();
        const unsubscribe = breaker.onSuccess(listener);
        await succeed(breaker, 1);
        unsubscribe();
        unsubscribe();
        await succeed(breaker, 1);
        expect(listener).toHaveBeenCalledTimes(1);
      });
    });

    describe('when the listener is not a function', () => {
      it('should throw an InvalidOptionError naming the listener', () => {
        const breaker = create();
        expect(() => breaker.onOpen('log' as never)).toThrow(InvalidOptionError);
        expect(() => breaker.onReject(undefined as never)).toThrow(/Invalid option listener/);
      });
    });

    describe('when a listener throws', () => {
      it('should hand the error to onListenerError and still complete the call and the other listeners', async () => {
        const listenerErrors: unknown[] = [];
        const breaker = create({ onListenerError: (e) => listenerErrors.push(e) });
        const bug = new Error('listener bug');
        const other = jest.fn();
        breaker.onSuccess(() => {
          throw bug;
        });
        breaker.onSuccess(other);
        await expect(breaker.execute(ok)).resolves.toBe('ok');
        expect(listenerErrors).toEqual([bug]);
        expect(other).toHaveBeenCalledTimes(1);
      });
    });
  });

  describe('.toJSON / .restore', () => {
    describe('when a snapshot is restored into a fresh breaker', () => {
      it.each(['count', 'time'] as const)('should reproduce the state, counters and %s window', async (slidingWindowType) => {
        const options: CircuitBreakerOptions = { slidingWindowType, failureThreshold: 3, minimumNumberOfCalls: 50, openTimeout: 10_000 };
        const breaker = create(options);
        await succeed(breaker, 4);
        await clock.advance(1_500);
        await fail(breaker, 3);
        await clock.advance(2_000);
        const snapshot = JSON.parse(JSON.stringify(breaker)) as ReturnType<EnhancedCircuitBreaker['toJSON']>;

        const copy = EnhancedCircuitBreaker.fromJSON(snapshot, { clock, ...options });
        expect(copy.getHealth()).toEqual(breaker.getHealth());
        expect(copy.toJSON()).toEqual(breaker.toJSON());
        await clock.advance(8_000);
        expect(copy.state).toBe('HALF_OPEN');
      });
    });

    describe('when the snapshot is malformed', () => {
      it.each<[string, Record<string, unknown>]>([
        ['version', { version: 2 }],
        ['state', { state: 'BROKEN' }],
        ['openCount', { openCount: -1 }],
        ['lastFailureAt', { lastFailureAt: 'yesterday' }],
        ['window.type', { window: { type: 'ring' } }],
        ['window.outcomes', { window: { type: 'count', size: 2, outcomes: [7] } }],
        ['gateway', { gateway: 'ADYEN' }],
        ['gateway', { gateway: ' ' }],
        ['isolated', { isolated: true }], // isolated but CLOSED: calls would go through
      ])('should throw an InvalidSnapshotError at %s', async (field, patch) => {
        const breaker = create();
        const snapshot = { ...breaker.toJSON(), ...patch };
        expect(() => breaker.restore(snapshot as never)).toThrow(InvalidSnapshotError);
        try {
          breaker.restore(snapshot as never);
        } catch (error) {
          expect(ValidationError.is(error) && error.field).toBe(field);
        }
      });
    });

    describe('when the restored state differs', () => {
      it('should emit a RESTORED state change', async () => {
        const source = await opened();
        const target = create();
        const changes: StateChangeEvent[] = [];
        target.onStateChange((e) => changes.push(e));
        target.restore(source.toJSON());
        expect(changes).toEqual([expect.objectContaining({ from: 'CLOSED', to: 'OPEN', reason: 'RESTORED' })]);
      });
    });
  });

  describe('rejection stack traces', () => {
    describe('when rejectionStackTraces is off (the default)', () => {
      it('should reject with a stackless error and leave Error.stackTraceLimit as it was', async () => {
        const limit = Error.stackTraceLimit;
        const breaker = await opened();
        const error = (await breaker.execute(ok).catch((e: unknown) => e)) as Error;
        expect(error.stack).not.toMatch(/\n\s+at /);
        expect(Error.stackTraceLimit).toBe(limit);
      });
    });

    describe('when rejectionStackTraces is on', () => {
      it('should capture the stack', async () => {
        const breaker = await opened({ rejectionStackTraces: true });
        const error = (await breaker.execute(ok).catch((e: unknown) => e)) as Error;
        expect(error.stack).toMatch(/\n\s+at /);
      });
    });
  });
});
