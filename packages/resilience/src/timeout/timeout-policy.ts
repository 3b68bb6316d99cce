import { SystemClock, type Clock } from '@aegispay/domain';
import type { PolicyContext, ResiliencePolicy } from '../policy/resilience-policy';
import { OperationTimeoutError } from './timeout.errors';
import { check } from '../resilience-options';

/** How a timeout ends the call. See {@link TimeoutOptions.strategy}. */
export type TimeoutStrategy = 'aggressive' | 'cooperative';

/** Options of {@link TimeoutPolicy}. */
export interface TimeoutOptions {
  /**
   * `'aggressive'`: at the deadline, abort the operation's signal and reject at once with
   * {@link OperationTimeoutError}, without waiting for the operation to notice.
   * `'cooperative'`: abort the signal, then wait for the operation to settle; if it rejects, the
   * rejection becomes an {@link OperationTimeoutError} (a late success is returned). Defaults to `'aggressive'`.
   */
  readonly strategy?: TimeoutStrategy;
  /** Source of time for the deadline. Defaults to `SystemClock` (its timers never keep the process alive). */
  readonly clock?: Clock;
}

/**
 * Gives an operation a time budget. At the deadline its `AbortSignal` aborts with an
 * {@link OperationTimeoutError} as the reason, so the underlying I/O is cancelled, not just
 * abandoned. The caller's own signal is linked: aborting it aborts the operation too.
 */
export class TimeoutPolicy implements ResiliencePolicy {
  /** The budget of each call, ms. */
  readonly timeoutMs: number;
  /** How the deadline ends the call. */
  readonly strategy: TimeoutStrategy;
  private readonly clock: Clock;

  constructor(timeoutMs: number, options: TimeoutOptions = {}) {
    this.timeoutMs = check.number('timeoutMs', timeoutMs, undefined, { min: 0 });
    this.strategy = check.oneOf('strategy', options.strategy, 'aggressive', ['aggressive', 'cooperative']);
    this.clock = check.port('clock', options.clock, () => new SystemClock(), ['now', 'sleep', 'setTimer']);
  }

  /**
   * Runs `fn` with a signal that aborts at the deadline (or when `signal` aborts).
   *
   * The operation's `AbortController` is created only when `fn` reads `context.signal` (creating
   * one costs more than everything else here on Node.js 20), and the deadline rejects the call
   * from the timer itself rather than through a listener on that signal.
   */
  execute<T>(fn: (context: PolicyContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    let controller: AbortController | undefined;
    // Set once the deadline fires or the caller aborts: the reason the operation was stopped.
    let stopped: { reason: unknown } | undefined;
    let timeout: OperationTimeoutError | undefined;
    const context: PolicyContext = {
      get signal(): AbortSignal {
        if (controller === undefined) {
          controller = new AbortController();
          if (stopped !== undefined) controller.abort(stopped.reason);
        }
        return controller.signal;
      },
    };
    const cooperative = this.strategy === 'cooperative';

    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const stop = (reason: unknown): void => {
        if (stopped !== undefined) return;
        stopped = { reason };
        controller?.abort(reason);
        if (!cooperative) finish(() => reject(reason));
      };
      const onCallerAbort = (): void => stop(signal?.reason);
      // Built only when the deadline fires: most calls finish in time, and an error captures a stack.
      const timer = this.clock.setTimer(this.timeoutMs, () => stop((timeout = new OperationTimeoutError(this.timeoutMs))));
      signal?.addEventListener('abort', onCallerAbort, { once: true });
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        timer.cancel();
        signal?.removeEventListener('abort', onCallerAbort);
        settle();
      };

      let operation: Promise<T>;
      try {
        operation = Promise.resolve(fn(context));
      } catch (error) {
        operation = Promise.reject(error);
      }
      operation.then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(cooperative && timeout !== undefined && stopped?.reason === timeout ? timeout : error)),
      );
    });
  }
}

/** A {@link TimeoutPolicy} of `ms` milliseconds. */
export function timeout(ms: number, options?: TimeoutOptions): TimeoutPolicy {
  return new TimeoutPolicy(ms, options);
}
