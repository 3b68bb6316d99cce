import type { PaymentEvent, PaymentSnapshot } from '@aegispay/domain';
import { FakeClock, aPendingPayment } from '@aegispay/domain/testing';

import type { HookInvocation } from '../context/hook-context';
import { HookFailedError, HookTimeoutError } from '../errors/hook.errors';
import type { FraudCheckHook } from '../hooks/fraud-check.hook';
import { HookRegistry } from '../registry/hook-registry';
import { aHookContext, RecordingEventListener } from '../testing';
import { HookExecutor } from './hook-executor';
import type { HookFailure } from './hook-outcomes';

/** A fraud check that never answers, keeping the signal it was given. */
function hanging(name: string, extra: Partial<FraudCheckHook> = {}): FraudCheckHook & { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    name,
    priority: 0,
    enabled: true,
    signals,
    execute: ({ signal }) => {
      signals.push(signal);
      return new Promise(() => undefined);
    },
    ...extra,
  };
}

function firstEventOf(payment: ReturnType<typeof aPendingPayment>): PaymentEvent {
  const event = payment.pullEvents()[0];
  if (event === undefined) throw new Error('the payment recorded no event');
  return event;
}

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(promise: Promise<T>): { readonly settled: () => boolean; readonly promise: Promise<T> } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  return { settled: () => settled, promise: tracked };
}

describe(HookExecutor, () => {
  describe('timeouts', () => {
    describe('when a hook does not answer within the default 5 000 ms', () => {
      it('should give up on it exactly then, abort its signal with a HookTimeoutError and fail it closed', async () => {
        const clock = new FakeClock();
        const registry = new HookRegistry();
        const check = hanging('Hanging');
        registry.registerFraudCheck(check);
        const run = track(new HookExecutor(registry, { clock }).executeFraudChecks(aHookContext()));

        await clock.advance(4_999);
        expect(run.settled()).toBe(false);
        expect(check.signals[0]?.aborted).toBe(false);

        await clock.advance(1);
        const outcome = await run.promise;

        expect(outcome).toMatchObject({ allowed: false, deniedBy: 'Hanging', reason: 'Fraud check "Hanging" could not complete (timed out after 5000 ms); the payment is refused' });
        expect(outcome.failures).toEqual([
          { hook: 'Hanging', hookType: 'FRAUD_CHECK', kind: 'TIMEOUT', reason: 'timed out after 5000 ms', policy: 'FAIL_CLOSED', durationMs: 5_000 },
        ]);
        expect(HookTimeoutError.is(check.signals[0]?.reason)).toBe(true);
        expect(clock.pendingTimers()).toBe(0);
      });
    });

    describe('when the timeout is set on the hook, on its registration or on the executor', () => {
      it.each([
        ['the hook', { timeoutMs: 50 }, {}, {}],
        ['the registration', {}, { timeoutMs: 50 }, {}],
        ['the executor default', {}, {}, { defaultTimeoutMs: 50 }],
      ])('should use the one on %s', async (_where, hookFields, registrationOptions, executorOptions) => {
        const clock = new FakeClock();
        const registry = new HookRegistry();
        registry.registerFraudCheck(hanging('Hanging', hookFields), registrationOptions);
        const run = track(new HookExecutor(registry, { clock, ...executorOptions }).executeFraudChecks(aHookContext()));

        await clock.advance(49);
        expect(run.settled()).toBe(false);
        await clock.advance(1);

        expect((await run.promise).failures[0]?.reason).toBe('timed out after 50 ms');
      });
    });

    describe('when a hook honours its signal and rejects with the abort reason', () => {
      it('should still count a timeout, not an error', async () => {
        const clock = new FakeClock();
        const registry = new HookRegistry();
        registry.registerFraudCheck({
          name: 'Polite',
          priority: 0,
          enabled: true,
          timeoutMs: 100,
          execute: async ({ signal }) => {
            await clock.sleep(10_000, signal);
            return { allowed: true };
          },
        });
        const pending = new HookExecutor(registry, { clock }).executeFraudChecks(aHookContext());

        await clock.advance(100);

        expect((await pending).failures[0]?.kind).toBe('TIMEOUT');
        expect(clock.pendingTimers()).toBe(0);
      });
    });

    describe('when a hook given up on settles later', () => {
      it('should report its late rejection to onHookFailure, not swallow it, and raise no unhandled rejection', async () => {
        const clock = new FakeClock();
        const registry = new HookRegistry();
        let rejectLate: (error: Error) => void = () => undefined;
        registry.registerEventListener({
          name: 'Late',
          priority: 0,
          enabled: true,
          timeoutMs: 10,
          eventTypes: ['*'],
          execute: () =>
            new Promise<void>((_resolve, reject) => {
              rejectLate = reject;
            }),
        });
        const unhandled: unknown[] = [];
        const onUnhandled = (reason: unknown): void => {
          unhandled.push(reason);
        };
        process.on('unhandledRejection', onUnhandled);
        try {
          const payment = aPendingPayment();
          const reported: { reason: string; error: unknown }[] = [];
          const executor = new HookExecutor(registry, { clock, onHookFailure: (failure, error) => reported.push({ reason: failure.reason, error }) });
          const pending = executor.emitEvent(firstEventOf(payment), aHookContext({ payment }));
          await clock.advance(10);
          const outcome = await pending;
          const late = new Error('too late');
          rejectLate(late);
          await new Promise((resolve) => setImmediate(resolve));

          expect(outcome.failures[0]?.kind).toBe('TIMEOUT');
          expect(reported.map((r) => r.reason)).toEqual(['timed out after 10 ms', 'timed out after 10 ms, then rejected (threw an error)']);
          expect(reported[1]?.error).toBe(late);
          expect(unhandled).toEqual([]);
        } finally {
          process.off('unhandledRejection', onUnhandled);
        }
      });
    });

    describe('when hooks answer in time', () => {
      it('should leave no timer behind', async () => {
        const clock = new FakeClock();
        const registry = new HookRegistry();
        registry.registerFraudCheck({ name: 'Quick', priority: 0, enabled: true, execute: async () => ({ allowed: true }) });

        await new HookExecutor(registry, { clock }).executeFraudChecks(aHookContext());

        expect(clock.pendingTimers()).toBe(0);
      });
    });
  });

  describe('failure isolation', () => {
    describe('when a hook throws synchronously', () => {
      it('should isolate it like an asynchronous failure', async () => {
        const registry = new HookRegistry();
        registry.registerFraudCheck({
          name: 'Sync',
          priority: 0,
          enabled: true,
          failurePolicy: 'FAIL_OPEN',
          execute: () => {
            throw new RangeError('bad');
          },
        });

        const outcome = await new HookExecutor(registry, { clock: new FakeClock() }).executeFraudChecks(aHookContext());

        expect(outcome.allowed).toBe(true);
        expect(outcome.failures[0]).toMatchObject({ hook: 'Sync', kind: 'ERROR' });
      });
    });

    describe('when a hook throws an AegisPay error', () => {
      it('should name its stable code but never its message', async () => {
        const registry = new HookRegistry();
        registry.registerEnrichment(
          {
            name: 'Typed',
            priority: 0,
            enabled: true,
            execute: () => {
              throw new HookTimeoutError('inner-secret-hook', 1);
            },
          },
          { failurePolicy: 'FAIL_CLOSED' },
        );

        const error: unknown = await new HookExecutor(registry, { clock: new FakeClock() }).executeEnrichment(aHookContext()).catch((e: unknown) => e);

        expect(HookFailedError.is(error)).toBe(true);
        const failed = error as HookFailedError;
        expect(failed.message).toBe('Hook "Typed" (ENRICHMENT) failed: threw an error (HOOK.TIMEOUT).');
        expect(failed.cause).toBeUndefined();
        expect(JSON.stringify(failed.toJSON())).not.toContain('inner-secret-hook');
      });
    });

    describe('when the failure reporter itself throws', () => {
      it('should not let that reach the payment', async () => {
        const registry = new HookRegistry();
        registry.registerMetricsCollector({ name: 'Broken', priority: 0, enabled: true, execute: () => Promise.reject(new Error('x')) });
        const reported: HookFailure[] = [];
        const executor = new HookExecutor(registry, {
          clock: new FakeClock(),
          onHookFailure: (failure) => {
            reported.push(failure);
            throw new Error('logger down');
          },
        });

        const outcome = await executor.executeMetricsCollectors([], aHookContext());

        expect(outcome.failures).toHaveLength(1);
        expect(reported).toHaveLength(1);
      });
    });
  });

  describe('read-only snapshots', () => {
    describe('when a hook tries to change the payment', () => {
      it('should fail to change amount, status, identity, method or metadata, and leave the payment as it was', async () => {
        const payment = aPendingPayment();
        const before = payment.toSnapshot();
        const attempts: string[] = [];
        const registry = new HookRegistry();
        registry.registerFraudCheck({
          name: 'Meddler',
          priority: 0,
          enabled: true,
          execute: (context) => {
            const target = context.payment as { -readonly [K in keyof PaymentSnapshot]: unknown };
            const tries: [string, () => void][] = [
              ['amount', () => (target.amount = 1)],
              ['status', () => (target.status = 'PAID')],
              ['id', () => (target.id = 'pay_forged')],
              ['merchantId', () => (target.merchantId = 'other')],
              ['paymentMethod.token', () => ((target.paymentMethod as { token: string }).token = 'tok_forged')],
              ['payment.metadata', () => ((target.metadata as Record<string, unknown>)['country'] = 'US')],
              ['context.metadata', () => ((context.metadata as Record<string, unknown>)['x'] = 1)],
              ['context.payment', () => ((context as { payment: unknown }).payment = {})],
            ];
            for (const [field, change] of tries) {
              try {
                change();
              } catch (error) {
                if (error instanceof TypeError) attempts.push(field);
              }
            }
            return { allowed: true };
          },
        });

        await new HookExecutor(registry, { clock: new FakeClock() }).executeFraudChecks(aHookContext({ payment, metadata: { country: 'DE' } }));

        expect(attempts).toEqual(['amount', 'status', 'id', 'merchantId', 'paymentMethod.token', 'payment.metadata', 'context.metadata', 'context.payment']);
        expect(payment.toSnapshot()).toEqual(before);
      });
    });

    describe('when the caller passes a plain snapshot', () => {
      it('should hand hooks a frozen copy and leave the caller its own object', async () => {
        const snapshot = JSON.parse(JSON.stringify(aPendingPayment().toSnapshot())) as PaymentSnapshot;
        let seen: HookInvocation | undefined;
        const registry = new HookRegistry();
        registry.registerPreValidation({
          name: 'Reader',
          priority: 0,
          enabled: true,
          execute: (context) => {
            seen = context;
            return { valid: true };
          },
        });

        await new HookExecutor(registry, { clock: new FakeClock() }).executePreValidation(aHookContext({ payment: snapshot }));

        expect(seen?.payment).toEqual(snapshot);
        expect(seen?.payment).not.toBe(snapshot);
        expect(Object.isFrozen(seen?.payment.paymentMethod)).toBe(true);
        expect(Object.isFrozen(snapshot)).toBe(false);
      });
    });

    describe('when one hook changes its timestamp', () => {
      it('should not move the next hook\'s', async () => {
        const timestamps: number[] = [];
        const registry = new HookRegistry();
        for (const name of ['First', 'Second']) {
          registry.registerPreValidation({
            name,
            priority: 0,
            enabled: true,
            execute: (context) => {
              timestamps.push(context.timestamp.getTime());
              context.timestamp.setTime(0);
              return { valid: true };
            },
          });
        }
        const context = aHookContext();

        await new HookExecutor(registry, { clock: new FakeClock() }).executePreValidation(context);

        expect(timestamps).toEqual([context.timestamp.getTime(), context.timestamp.getTime()]);
      });
    });

    describe('when the caller goes on changing the payment while listeners run', () => {
      it('should show listeners the payment as it was when the event was emitted', async () => {
        const payment = aPendingPayment();
        const created = firstEventOf(payment);
        const listener = new RecordingEventListener('Audit');
        const registry = new HookRegistry();
        registry.registerEventListener(listener);

        const pending = new HookExecutor(registry, { clock: new FakeClock() }).emitEvent(created, aHookContext({ payment }));
        payment.startProcessing();
        await pending;

        expect(listener.received[0]?.context.payment.status).toBe('PENDING');
      });
    });
  });

  describe('contexts', () => {
    describe('when the context is malformed', () => {
      it.each([
        ['payment', { payment: null }],
        ['timestamp', { timestamp: 'now' }],
        ['requestId', { requestId: 7 }],
        ['metadata', { metadata: null }],
      ])('should reject a bad %s with HOOK.INVALID_CONTEXT', async (field, patch) => {
        const context = { ...aHookContext(), ...patch } as unknown as ReturnType<typeof aHookContext>;

        await expect(new HookExecutor(new HookRegistry(), { clock: new FakeClock() }).executeFraudChecks(context)).rejects.toMatchObject({
          code: 'HOOK.INVALID_CONTEXT',
          field,
        });
      });
    });
  });
});
