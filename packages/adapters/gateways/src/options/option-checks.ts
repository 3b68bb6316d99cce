import { InvalidGatewayOptionError } from '../errors/gateway.errors';

/*
 * Option checks of the simulated gateways. Each returns the checked value (or the fallback when
 * the option was left out), so option resolution reads as one line per option.
 */

/** A finite number in [min, max]. */
export function numberIn(option: string, value: unknown, fallback: number, min: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidGatewayOptionError(option, 'must be a finite number', value);
  }
  if (value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new InvalidGatewayOptionError(option, `must be ${range}`, value);
  }
  return value;
}

/** A finite number in [min, max] that must be given. */
export function requiredNumberIn(option: string, value: unknown, min: number, max = Infinity): number {
  if (value === undefined) throw new InvalidGatewayOptionError(option, 'is required', value);
  return numberIn(option, value, 0, min, max);
}

/** A probability in [0, 1]. */
export function rate(option: string, value: unknown, fallback: number): number {
  return numberIn(option, value, fallback, 0, 1);
}

/** A non-negative safe integer (a count of minor units). */
export function minorUnits(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidGatewayOptionError(option, 'must be a non-negative integer number of minor units', value);
  }
  return value;
}

/** A non-empty string without surrounding whitespace. */
export function nonEmptyString(option: string, value: unknown, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0 || value.trim() !== value) {
    throw new InvalidGatewayOptionError(option, 'must be a non-empty string without surrounding spaces', value);
  }
  return value;
}

/** A plain object (or the fallback when left out). */
export function record<T extends object>(option: string, value: T | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidGatewayOptionError(option, 'must be an object', value);
  }
  return value;
}

/** A non-empty array. */
export function nonEmptyArray<T>(option: string, value: readonly T[] | undefined, fallback: readonly T[]): readonly T[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidGatewayOptionError(option, 'must be a non-empty array', value);
  }
  return value;
}

/** An object with the methods named (a `Clock`, a `Random`, an `IdGenerator`). */
export function port<P extends object>(option: string, value: P | undefined, fallback: () => P, methods: readonly string[]): P {
  if (value === undefined) return fallback();
  if (
    typeof value !== 'object' ||
    value === null ||
    methods.some((method) => typeof (value as Record<string, unknown>)[method] !== 'function')
  ) {
    throw new InvalidGatewayOptionError(option, `must be an object with ${methods.map((m) => `${m}()`).join(', ')}`, value);
  }
  return value;
}
