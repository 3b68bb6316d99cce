import { InvalidOptionError, type InvalidOptionContext } from './invalid-option.error';

/** Bounds of a number option; any combination. */
export interface NumberRange {
  /** The smallest value allowed. */
  readonly min?: number;
  /** Values must be strictly above this. */
  readonly above?: number;
  /** The largest value allowed. */
  readonly max?: number;
}

/**
 * Builds the error of a refused option, for an area whose users catch a subclass of
 * {@link InvalidOptionError} of its own (`InvalidStripeOptionError`).
 */
export type InvalidOptionErrorFactory = (option: string, problem: string, context: InvalidOptionContext) => InvalidOptionError;

/**
 * The option checks every AegisPay package uses, bound to one area's error code and, optionally,
 * to the class whose options they are:
 *
 * ```ts
 * const options = new OptionChecks('LOCKING.INVALID_OPTION', 'OutboxRelay');
 * this.batchSize = options.integer('batchSize', given.batchSize, 100, { min: 1 });
 * ```
 *
 * Each check returns the value, or `fallback` when the option was left out (`undefined`); a
 * `fallback` of `undefined` makes the option required. Anything else throws an
 * {@link InvalidOptionError} with this checker's code, naming the option, what it must be, and
 * the value it got.
 */
export class OptionChecks {
  /**
   * @param code The error code of this area's invalid options (`HOOK.INVALID_OPTION`).
   * @param owner Whose options these are (`HookExecutor`); prefixes every message when given.
   * @param createError Builds each error, when the area has its own subclass of
   *   {@link InvalidOptionError} (whose code should be `code`). Defaults to an `InvalidOptionError` with `code`.
   */
  constructor(
    readonly code: string,
    readonly owner?: string,
    private readonly createError?: InvalidOptionErrorFactory,
  ) {}

  /** The error this checker throws, for checks of its caller's own (`must be ≥ openTimeout`). */
  invalid(option: string, problem: string, value: unknown): InvalidOptionError {
    return this.error(option, problem, { value });
  }

  /** As {@link invalid}, for an option whose value must never be shown (an API key, a signing secret). */
  invalidSecret(option: string, problem: string): InvalidOptionError {
    return this.error(option, problem, {});
  }

  /** A finite number within `range` (a `fallback` may be `Infinity`: "no limit"). */
  number(option: string, value: unknown, fallback: number | undefined, range: NumberRange = {}): number {
    return this.numeric(option, value, fallback, range, false);
  }

  /** A safe integer within `range`. */
  integer(option: string, value: unknown, fallback: number | undefined, range: NumberRange = {}): number {
    return this.numeric(option, value, fallback, range, true);
  }

  /** A rate: a number from 0 to 1, or within `range` when it is narrower (`{ above: 0 }`). */
  rate(option: string, value: unknown, fallback: number | undefined, range: NumberRange = {}): number {
    return this.numeric(option, value, fallback, { min: 0, max: 1, ...range }, false);
  }

  /** `true` or `false` (a truthy string such as `'false'` is refused, not guessed). */
  boolean(option: string, value: unknown, fallback: boolean | undefined): boolean {
    if (value === undefined) return this.fallback(option, fallback);
    if (typeof value !== 'boolean') throw this.invalid(option, 'must be true or false', value);
    return value;
  }

  /** One of `allowed`. */
  oneOf<T extends string>(option: string, value: unknown, fallback: T | undefined, allowed: readonly T[]): T {
    if (value === undefined) return this.fallback(option, fallback);
    if (!(allowed as readonly unknown[]).includes(value)) {
      throw this.invalid(option, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
    }
    return value as T;
  }

  /** A function, when given. */
  optionalFunction<F>(option: string, value: F | undefined): F | undefined {
    if (value !== undefined && typeof value !== 'function') throw this.invalid(option, 'must be a function', value);
    return value;
  }

  /** A function that must be given. */
  requiredFunction<F>(option: string, value: F | undefined): F {
    if (value === undefined) return this.fallback<F>(option, undefined);
    return this.optionalFunction(option, value) as F;
  }

  /**
   * An object with the methods named (a `Clock`, a `Random`), or `fallback()` when left out (a
   * `fallback` of `undefined` makes it required).
   */
  port<P extends object>(option: string, value: P | undefined, fallback: (() => P) | undefined, methods: readonly string[]): P {
    if (value === undefined) return fallback === undefined ? this.fallback<P>(option, undefined) : fallback();
    if (typeof value !== 'object' || value === null || methods.some((method) => typeof (value as Record<string, unknown>)[method] !== 'function')) {
      throw this.invalid(option, `must be an object with ${methods.map((m) => `${m}()`).join(', ')}`, value);
    }
    return value;
  }

  /** A plain object (not null, not an array): a group of options. */
  object<T extends object>(option: string, value: T | undefined, fallback: T | undefined): T {
    if (value === undefined) return this.fallback(option, fallback);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.invalid(option, 'must be an object', value);
    return value;
  }

  /** A non-empty string without surrounding whitespace. */
  string(option: string, value: unknown, fallback: string | undefined): string {
    if (value === undefined) return this.fallback(option, fallback);
    if (typeof value !== 'string' || value.length === 0 || value.trim() !== value) {
      throw this.invalid(option, 'must be a non-empty string without surrounding spaces', value);
    }
    return value;
  }

  /** A non-empty array. */
  nonEmptyArray<T>(option: string, value: readonly T[] | undefined, fallback: readonly T[] | undefined): readonly T[] {
    if (value === undefined) return this.fallback(option, fallback);
    if (!Array.isArray(value) || value.length === 0) throw this.invalid(option, 'must be a non-empty array', value);
    return value;
  }

  private error(option: string, problem: string, context: InvalidOptionContext): InvalidOptionError {
    const full = this.owner === undefined ? context : { ...context, owner: this.owner };
    return this.createError === undefined ? new InvalidOptionError(this.code, option, problem, full) : this.createError(option, problem, full);
  }

  /** The default of an option left out; a required one (no default) is refused. */
  private fallback<T>(option: string, fallback: T | undefined): T {
    if (fallback === undefined) throw this.invalid(option, 'is required', undefined);
    return fallback;
  }

  private numeric(option: string, value: unknown, fallback: number | undefined, range: NumberRange, integer: boolean): number {
    if (value === undefined) return this.fallback(option, fallback);
    const { min = -Infinity, above = -Infinity, max = Infinity } = range;
    const kind = typeof value === 'number' && (integer ? Number.isSafeInteger(value) : Number.isFinite(value));
    if (!kind || (value as number) < min || (value as number) <= above || (value as number) > max) {
      throw this.invalid(option, `must be ${describeRange(range, integer)}`, value);
    }
    return value as number;
  }
}

/** `an integer ≥ 1`, `a finite number between 0 and 1`, `a finite number above 0`. */
function describeRange({ min, above, max }: NumberRange, integer: boolean): string {
  const bounds: string[] = [];
  if (min !== undefined && max !== undefined) bounds.push(`between ${min} and ${max}`);
  else if (min !== undefined) bounds.push(`≥ ${min}`);
  if (above !== undefined) bounds.push(`above ${above}`);
  if (max !== undefined && min === undefined) bounds.push(`≤ ${max}`);
  return `${integer ? 'an integer' : 'a finite number'}${bounds.length === 0 ? '' : ` ${bounds.join(' and ')}`}`;
}
