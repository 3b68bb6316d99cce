import { ValidationError } from '@aegispay/domain';

/**
 * An instant as the adapter stores it: whole epoch milliseconds, for the `bigint` columns
 * (PostgreSQL refuses `1767225600000.5` there; SQLite would keep a float). The `Clock` contract
 * promises whole milliseconds, but a clock that does not keep it must not break a write:
 *
 * - `'floor'` for "now" and the instants derived from it: something due at 10.5 is not due at 10.
 * - `'ceil'` for "not before" bounds (a retry time, an exclusive upper bound): the bound is never
 *   moved earlier, and `x < ceil(t)` selects exactly the whole `x` below `t`.
 *
 * @throws ValidationError `PERSISTENCE.INVALID_TIME` naming `field` when `value` is not a finite number.
 */
export function wholeMs(value: number, field: string, rounding: 'floor' | 'ceil' = 'floor'): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError('PERSISTENCE.INVALID_TIME', field, `${field} must be a finite number of epoch milliseconds, got ${String(value)}.`);
  }
  return rounding === 'floor' ? Math.floor(value) : Math.ceil(value);
}

/**
 * A row limit: a non-negative safe integer.
 * @throws ValidationError with `code` naming `field` otherwise.
 */
export function rowLimit(value: number, field: string, code: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(code, field, `${field} must be a whole number of rows ≥ 0, got ${String(value)}.`);
  }
  return value;
}

/**
 * Epoch milliseconds of an ISO-8601 instant (the domain writes `toISOString()`, so the round trip
 * with {@link toIso} is exact).
 * @throws RangeError when `iso` is not an instant.
 */
export function toEpochMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO-8601 instant: ${iso}`);
  return ms;
}

/** ISO-8601 (UTC) of an epoch-ms `bigint` column's value (PostgreSQL returns bigint as text). */
export function toIso(value: number | string): string {
  return new Date(Number(value)).toISOString();
}
