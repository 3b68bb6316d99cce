import { SystemClock, type Clock } from '@aegispay/domain';
import { InvalidOptionError } from '../options/invalid-option.error';
import { finiteNumber, oneOf, port } from '../options/option-assertions';
import type { PolicyContext, ResiliencePolicy } from '../policy/resilience-policy';
import { OperationTimeoutError } from './timeout.errors';

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
    if (timeoutMs === undefined) throw new InvalidOptionError('timeoutMs', 'is required', timeoutMs);
    this.timeoutMs = finiteNumber('timeoutMs', timeoutMs, 0, 0);
    this.strategy = oneOf('strategy', options.strategy, 'aggressive', ['aggressive', 'cooperative']);
    this.clock = port('clock', options.clock, () => new SystemClock(), ['now', 'sleep', 'setTimer']);
  }

  /** Runs `fn` with a signal that aborts at the deadline (or when `signal` aborts). */
  execute<T>(fn: (context: PolicyContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    const controller = new AbortController();
    const onCallerAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    // Built only when the deadline fires: most calls finish in time, and an error captures a stack.
    let timeout: OperationTimeoutError | undefined;
    const timer = this.clock.setTimer(this.timeoutMs, () => controller.abort((timeout = new OperationTimeoutError(this.timeoutMs))));
    const cleanup = (): void => {
      timer.cancel();
      signal?.removeEventListener('abort', onCallerAbort);
    };

    let operation: Promise<T>;
    try {
      operation = Promise.resolve(fn({ signal: controller.signal }));
    } catch (error) {
      operation = Promise.reject(error);
    }

    if (this.strategy === 'cooperative') {
      return operation.then(
        (value) => {
          cleanup();
          return value;
        },
        (error: unknown) => {
          cleanup();
          throw timeout !== undefined && controller.signal.reason === timeout ? timeout : error;
        },
      );
    }

    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        cleanup();
        reject(controller.signal.reason);
      };
      controller.signal.addEventListener('abort', onAbort, { once: true });
      operation.then(
        (value) => {
          controller.signal.removeEventListener('abort', onAbort);
          cleanup();
          resolve(value);
        },
        (error: unknown) => {
          controller.signal.removeEventListener('abort', onAbort);
          cleanup();
          reject(error);
        },
      );
    });
  }
}

/** A {@link TimeoutPolicy} of `ms` milliseconds. */
export function timeout(ms: number, options?: TimeoutOptions): TimeoutPolicy {
  return new TimeoutPolicy(ms, options);
}
