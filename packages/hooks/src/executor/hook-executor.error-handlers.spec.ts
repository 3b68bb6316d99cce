import { FakeClock, aPaidPayment } from '@aegispay/domain/testing';

import { HookFailedError } from '../errors/hook.errors';
import type { ErrorHandlerHook, ErrorHandlingResult } from '../hooks/error-handler.hook';
import { HookRegistry } from '../registry/hook-registry';
import { anErrorContext } from '../testing';
import { HookExecutor } from './hook-executor';

class TimeoutError extends Error {}

function handler(name: string, priority: number, answer: ErrorHandlingResult | null | undefined, extra: Partial<ErrorHandlerHook> = {}): ErrorHandlerHook & { calls: number } {
  const hook = {
    name,
    priority,
    enabled: true,
    calls: 0,
    execute: () => {
      hook.calls += 1;
      return answer;
    },
    ...extra,
  };
  return hook;
}

function setUp(handlers: ErrorHandlerHook[]): HookExecutor {
  const registry = new HookRegistry();
  for (const h of handlers) registry.registerErrorHandler(h);
  return new HookExecutor(registry, { clock: new FakeClock() });
}

describe(HookExecutor, () => {
  describe('.executeErrorHandlers', () => {
    describe('when handlers have opinions', () => {
      it('should return the first opinion in priority order, skipping those without one', async () => {
        const last = handler('Last', 1, { shouldRetry: false });
        const outcome = await setUp([
          last,
          handler('NoOpinion', 9, null),
          handler('Retry', 5, { shouldRetry: true, retryAfterMs: 250, reason: 'transient' }),
        ]).executeErrorHandlers(anErrorContext());

        expect(outcome).toEqual({ shouldRetry: true, retryAfterMs: 250, reason: 'transient', handledBy: 'Retry', failures: [] });
        expect(last.calls).toBe(0);
      });
    });

    describe('when a handler cannot handle the error', () => {
      it('should not ask it', async () => {
        const timeoutsOnly = handler('TimeoutsOnly', 9, { shouldRetry: true }, { canHandle: (error) => error instanceof TimeoutError });
        const fallback = handler('Fallback', 1, { shouldRetry: false, reason: 'not retryable' });

        const plain = await setUp([timeoutsOnly, fallback]).executeErrorHandlers(anErrorContext({ error: new Error('declined') }));
        const timeout = await setUp([timeoutsOnly, fallback]).executeErrorHandlers(anErrorContext({ error: new TimeoutError('slow') }));

        expect(plain.handledBy).toBe('Fallback');
        expect(timeout.handledBy).toBe('TimeoutsOnly');
        expect(timeoutsOnly.calls).toBe(1);
      });
    });

    describe('when no handler has an opinion', () => {
      it('should say not to retry, handled by no one', async () => {
        const outcome = await setUp([handler('Silent', 0, undefined)]).executeErrorHandlers(anErrorContext());

        expect(outcome).toEqual({ shouldRetry: false, handledBy: null, failures: [] });
      });
    });

    describe('when the handler reads the error context', () => {
      it('should see the error, the attempt number and the previous attempts', async () => {
        const payment = aPaidPayment();
        const error = new Error('Gateway timed out');
        let seen: unknown;
        const outcome = await setUp([
          {
            name: 'Backoff',
            priority: 0,
            enabled: true,
            execute: (context) => {
              seen = [context.error, context.attemptNumber, context.previousAttempts.map((a) => a.gateway)];
              return { shouldRetry: context.attemptNumber < 3, retryAfterMs: 100 * 2 ** context.attemptNumber };
            },
          },
        ]).executeErrorHandlers(anErrorContext({ payment, error, attemptNumber: 2, previousAttempts: payment.attempts }));

        expect(seen).toEqual([error, 2, ['STRIPE']]);
        expect(outcome).toMatchObject({ shouldRetry: true, retryAfterMs: 400 });
      });
    });

    describe('when a handler answers with a negative delay', () => {
      it('should treat it as a failure and ask the next handler', async () => {
        const outcome = await setUp([
          handler('Negative', 9, { shouldRetry: true, retryAfterMs: -5 }),
          handler('Sane', 1, { shouldRetry: false }),
        ]).executeErrorHandlers(anErrorContext());

        expect(outcome.handledBy).toBe('Sane');
        expect(outcome.failures[0]).toMatchObject({ hook: 'Negative', kind: 'INVALID_RESULT' });
      });
    });

    describe('when canHandle itself throws', () => {
      it('should isolate it like any other failure', async () => {
        const outcome = await setUp([
          handler('Picky', 9, { shouldRetry: true }, {
            canHandle: () => {
              throw new Error('bug');
            },
          }),
        ]).executeErrorHandlers(anErrorContext());

        expect(outcome).toMatchObject({ shouldRetry: false, handledBy: null });
        expect(outcome.failures[0]).toMatchObject({ hook: 'Picky', kind: 'ERROR' });
      });
    });

    describe('when a FAIL_CLOSED handler fails', () => {
      it('should reject with a HookFailedError', async () => {
        const executor = setUp([handler('Strict', 0, null, { failurePolicy: 'FAIL_CLOSED', execute: () => Promise.reject(new Error('x')) })]);

        const error: unknown = await executor.executeErrorHandlers(anErrorContext()).catch((e: unknown) => e);

        expect(HookFailedError.is(error)).toBe(true);
      });
    });

    describe('when the context lacks the attempt number', () => {
      it('should reject the context', async () => {
        await expect(setUp([]).executeErrorHandlers(anErrorContext({ attemptNumber: 0 }))).rejects.toMatchObject({
          code: 'HOOK.INVALID_CONTEXT',
          field: 'attemptNumber',
        });
      });
    });
  });
});
