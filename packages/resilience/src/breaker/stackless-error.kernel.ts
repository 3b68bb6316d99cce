/**
 * Performance kernel, kept because `npm run bench -- breaker` shows its gain: builds an error
 * without capturing a stack trace (`Error.stackTraceLimit` at 0, restored before any other code
 * runs). An open breaker refuses thousands of calls a second, and capturing the stack costs more
 * than everything else a refusal does: in five runs of that benchmark, a refusal cost 2.6 times as
 * much with the stack (median of the per-run ratios of the rows "aegispay open reject, stack
 * traces on" and "aegispay open reject"). `rejectionStackTraces: true` turns it off.
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
