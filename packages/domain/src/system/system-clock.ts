import type { Clock, TimerHandle } from '../ports/clock.port';

/**
 * The real clock: wall time and real timers.
 *
 * `setTimer` timers are `unref()`ed: a background loop (a relay, recovery) never keeps the process
 * alive. `sleep` timers are not, on purpose: someone is awaiting them (a retry backoff in the middle
 * of a payment), and the process must not exit under that caller.
 */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  setTimer(ms: number, callback: () => void): TimerHandle {
    const timer = setTimeout(callback, Math.max(0, ms));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  }
}
