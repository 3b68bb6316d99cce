import type { Clock } from '@aegispay/domain';

/*
 * The circuit breaker's two performance kernels. Each is kept only because `npm run bench --
 * breaker` shows its gain: five interleaved runs of that benchmark with the kernel and with plain
 * code in its place, on one shared 2-core machine, medians of the per-run figures (the resilience
 * README, "Performance", has the table). Everything else in the breaker is plain code.
 */

/** The time of a call that was not timed. */
export const UNTIMED = Number.NaN;

/**
 * The clock's time when `needed`, else {@link UNTIMED}: a call's times are read only when
 * something uses them (slow-call detection, a time window, a listener, a failure or a state
 * change to stamp). On a closed breaker's success path the two clock reads cost more than
 * everything else the breaker does: success-path overhead over a bare async call 74 ns with this
 * kernel, 159 ns reading the clock on every call (×1.9).
 */
export function timeIf(clock: Clock, needed: boolean): number {
  return needed ? clock.now() : UNTIMED;
}

/** Whether a time was read by {@link timeIf}. */
export function isTimed(time: number): boolean {
  return !Number.isNaN(time);
}

/**
 * Builds an error without capturing a stack trace (`Error.stackTraceLimit` at 0, restored before
 * any other code runs). An open breaker refuses thousands of calls a second, and capturing the
 * stack costs more than everything else a refusal does: a refusal costs ×2.6 as much with the
 * stack (the bench's "open reject" and "open reject, stack traces on" rows, same runs).
 */
export function withoutStackTrace<E extends Error>(create: () => E): E {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return create();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
