import { AegisPayError, InvalidOptionError } from '@aegispay/domain';
import { deferred, FakeClock } from '@aegispay/domain/testing';
import { TimeoutPolicy, timeout } from './timeout-policy';
import { OperationTimeoutError } from './timeout.errors';

/** An operation that settles only when its signal aborts (then rejects with the signal's reason), like fetch. */
const abortable = ({ signal }: { signal?: AbortSignal }): Promise<string> =>
  new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));

describe(TimeoutPolicy, () => {
  let clock: FakeClock;

  beforeEach(() => {
    clock = new FakeClock();
  });

  describe('constructor', () => {
    describe('when the budget is missing or invalid', () => {
      it('should throw an InvalidOptionError naming it', () => {
        expect(() => new TimeoutPolicy(undefined as unknown as number)).toThrow(InvalidOptionError);
        expect(() => timeout(-1)).toThrow(/Invalid option timeoutMs/);
        expect(() => timeout(10, { strategy: 'lazy' as 'aggressive' })).toThrow(/Invalid option strategy/);
      });
    });
  });

  describe('.execute', () => {
    describe('when the operation finishes in time', () => {
      it('should return its result and cancel the timer', async () => {
        const policy = timeout(1_000, { clock });
        await expect(policy.execute(() => Promise.resolve(42))).resolves.toBe(42);
        expect(clock.pendingTimers()).toBe(0);
      });

      it('should pass errors through unchanged', async () => {
        const error = new Error('declined by network');
        await expect(timeout(1_000, { clock }).execute(() => Promise.reject(error))).rejects.toBe(error);
        expect(clock.pendingTimers()).toBe(0);
      });
    });

    describe('when the deadline passes (aggressive)', () => {
      it('should abort the operation signal with an OperationTimeoutError and reject at once', async () => {
        let signal: AbortSignal | undefined;
        const never = deferred<string>();
        const call = timeout(1_000, { clock }).execute((context) => {
          signal = context.signal;
          return never.promise;
        });
        const outcome = expect(call).rejects.toBeInstanceOf(OperationTimeoutError);
        await clock.advance(999);
        expect(signal?.aborted).toBe(false);
        await clock.advance(1);
        await outcome;
        expect(signal?.aborted).toBe(true);
        expect(signal?.reason).toBeInstanceOf(OperationTimeoutError);
        const error = (await call.catch((e: unknown) => e)) as OperationTimeoutError;
        expect(AegisPayError.is(error) && error.code).toBe('RESILIENCE.TIMEOUT');
        expect(error.timeoutMs).toBe(1_000);
        never.reject(new Error('ignored late failure')); // must not surface as an unhandled rejection
      });
    });

    describe('when the deadline passes (cooperative)', () => {
      it('should wait for the operation to honour the abort and reject with OperationTimeoutError', async () => {
        const call = timeout(500, { clock, strategy: 'cooperative' }).execute(abortable);
        const outcome = expect(call).rejects.toBeInstanceOf(OperationTimeoutError);
        await clock.advance(500);
        await outcome;
      });

      it('should return a late success', async () => {
        const late = deferred<string>();
        const call = timeout(500, { clock, strategy: 'cooperative' }).execute(() => late.promise);
        await clock.advance(600);
        late.resolve('made it');
        await expect(call).resolves.toBe('made it');
      });
    });

    describe('when the caller aborts first', () => {
      it('should abort the operation with the caller reason', async () => {
        const controller = new AbortController();
        const call = timeout(1_000, { clock }).execute(abortable, controller.signal);
        const reason = new Error('client disconnected');
        controller.abort(reason);
        await expect(call).rejects.toBe(reason);
        expect(clock.pendingTimers()).toBe(0);
      });

      it('should reject at once when the signal is already aborted', async () => {
        const controller = new AbortController();
        controller.abort(new Error('gone'));
        const operation = jest.fn(() => Promise.resolve(1));
        await expect(timeout(1_000, { clock }).execute(operation, controller.signal)).rejects.toThrow('gone');
        expect(operation).not.toHaveBeenCalled();
      });
    });
  });
});
