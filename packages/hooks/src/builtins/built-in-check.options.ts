import { HookConfigurationError } from '../errors/hook.errors';

/** Options every built-in check takes. */
export interface BuiltInCheckOptions {
  /** Defaults to the class name; give another to register two instances. */
  readonly name?: string;
  /** Defaults to the class's own (100 high value, 90 geographic, 80 velocity). */
  readonly priority?: number;
}

/** @throws HookConfigurationError `HOOK.INVALID_OPTION` */
export function invalidOption(owner: string, field: string, expected: string): HookConfigurationError {
  return new HookConfigurationError('HOOK.INVALID_OPTION', field, `${owner}: ${field} must be ${expected}.`);
}

/** @throws HookConfigurationError when `value` is given and not a number from 0 to 1. */
export function checkScore(owner: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw invalidOption(owner, 'riskScore', 'a number from 0 to 1');
  return value;
}
