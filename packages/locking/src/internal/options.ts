import { ValidationError } from '@aegispay/domain';

/*
 * Option checks: each returns the value, or the default when the option was left out, and throws a
 * `ValidationError` (`LOCKING.INVALID_OPTION`) naming the option otherwise, so a misconfiguration
 * is found at construction.
 */

function invalid(owner: string, option: string, expectation: string, value: unknown): ValidationError {
  return new ValidationError('LOCKING.INVALID_OPTION', option, `${owner}: ${option} must be ${expectation}, got ${String(value)}.`);
}

/** An integer ≥ `min`. */
export function integerOption(owner: string, option: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw invalid(owner, option, `an integer ≥ ${min}`, value);
  return value;
}

/** A finite number ≥ 0. */
export function durationOption(owner: string, option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalid(owner, option, 'a finite number of milliseconds ≥ 0', value);
  return value;
}
