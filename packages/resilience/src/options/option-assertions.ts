import { InvalidOptionError } from './invalid-option.error';

/*
 * Option checks shared by every policy. Each returns the value (or the default when the option was
 * left out), so a constructor reads as one line per option.
 */

/** A finite number ≥ `min` (and ≤ `max` when given). */
export function finiteNumber(option: string, value: number | undefined, fallback: number, min: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidOptionError(option, 'must be a finite number', value);
  }
  if (value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new InvalidOptionError(option, `must be ${range}`, value);
  }
  return value;
}

/** An integer ≥ `min`. */
export function integer(option: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InvalidOptionError(option, 'must be an integer', value);
  }
  if (value < min) throw new InvalidOptionError(option, `must be ≥ ${min}`, value);
  return value;
}

/** A rate in [0, 1] with a strictly positive lower bound when `exclusiveZero`. */
export function rate(option: string, value: number | undefined, fallback: number, exclusiveZero = false): number {
  const checked = finiteNumber(option, value, fallback, 0, 1);
  if (exclusiveZero && checked === 0) throw new InvalidOptionError(option, 'must be above 0', value);
  return checked;
}

/** A boolean. */
export function bool(option: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidOptionError(option, 'must be a boolean', value);
  return value;
}

/** One of `allowed`. */
export function oneOf<T extends string>(option: string, value: T | undefined, fallback: T, allowed: readonly T[]): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new InvalidOptionError(option, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value;
}

/** A function, when given. */
export function optionalFunction<F>(option: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new InvalidOptionError(option, 'must be a function', value);
  }
  return value;
}

/** An object with the methods named, when given (a `Clock`, a `Random`). */
export function port<P extends object>(option: string, value: P | undefined, fallback: () => P, methods: readonly string[]): P {
  if (value === undefined) return fallback();
  if (typeof value !== 'object' || value === null || methods.some((m) => typeof (value as Record<string, unknown>)[m] !== 'function')) {
    throw new InvalidOptionError(option, `must be an object with ${methods.join(', ')}()`, value);
  }
  return value;
}
