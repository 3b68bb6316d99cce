/** A scheduled callback; `cancel()` is idempotent. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Time, as a port. Domain and core code never read the system clock or schedule real timers
 * directly: they take a `Clock`, so tests and chaos experiments can run on virtual time.
 */
export interface Clock {
  /** Whole milliseconds since the Unix epoch (an integer, as `Date.now()`). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds of this clock's time (fractions round up to the next whole
   * millisecond). Rejects with the signal's reason when
   * `signal` aborts first (and at once when it is already aborted).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `callback` once after `ms` milliseconds of this clock's time. Real-time implementations
   * must not keep the process alive for it (`unref`).
   */
  setTimer(ms: number, callback: () => void): TimerHandle;
}
