import { AegisPayError } from '@aegispay/domain';

/**
 * Every attempt failed and no retry is left (`RESILIENCE.RETRY_EXHAUSTED`). `cause` is the last
 * thrown error; when the last attempt returned a result classified as a failure, that result is
 * in `lastResult` instead.
 */
export class RetryExhaustedError extends AegisPayError {
  /** How many times the operation was called (first attempt included). */
  readonly attempts: number;
  /** The error thrown by the last attempt, when it threw. */
  declare readonly lastError?: unknown;
  /** The result of the last attempt, when it returned a result classified as a failure. */
  declare readonly lastResult?: unknown;

  constructor(attempts: number, last: { readonly error: unknown } | { readonly result: unknown }) {
    const threw = 'error' in last;
    super(
      'RESILIENCE.RETRY_EXHAUSTED',
      `Gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: the last one ${threw ? `threw (${describe(last.error)})` : 'returned a failure result'}. ` +
        'Check the downstream service, or raise maxRetries if the failures are transient.',
      { ...(threw ? { cause: last.error } : {}), details: { attempts } },
    );
    this.attempts = attempts;
    // Only the field that applies exists on the instance (declared fields are not pre-defined).
    if (threw) Object.defineProperty(this, 'lastError', { value: last.error, enumerable: true });
    else Object.defineProperty(this, 'lastResult', { value: last.result, enumerable: true });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : `${error.name}: ${error.message}`;
  return String(error);
}
