import { toEpochMs, toIso } from '../sql/epoch-ms';

/** The SQL types of AegisPay's columns, spelled as both SQLite and PostgreSQL accept them. */
export type SqlType = 'varchar' | 'text' | 'bigint' | 'integer' | 'double precision';

/**
 * How a column holds values of a domain type `D`: its SQL type and nullability, the statement
 * parameter for a value, and the value of what a driver returns. `S` is the column's type in a row
 * (`bigint` comes back from PostgreSQL as a string, hence `number | string`).
 *
 * The functions are properties, not methods, so TypeScript checks them strictly: a column declared
 * for a `string | null` field must use a nullable codec, and a nullable codec cannot fill a field
 * that may not be null.
 */
export interface Codec<D, S> {
  /** The column's SQL type. */
  readonly type: SqlType;
  /** The maximum length of a `varchar`; undefined for the other types. */
  readonly length: number | undefined;
  /** True when the column accepts NULL. Only {@link nullable} sets it. */
  readonly nullable: boolean;
  /** The statement parameter for `value`. */
  readonly write: (value: D) => S;
  /** The domain value of what a driver returned. */
  readonly read: (stored: S) => D;
}

function codec<D, S>(type: SqlType, write: (value: D) => S, read: (stored: S) => D, length?: number): Codec<D, S> {
  return { type, length, nullable: false, write, read };
}

const same = <V>(value: V): V => value;

/**
 * `varchar(length)`. `D` narrows the domain type (`varchar<PaymentStatus>(20)`); what is read back
 * is trusted to be one of its values (the aggregate validates what it is rehydrated from).
 */
export function varchar<D extends string = string>(length: number): Codec<D, string> {
  return codec<D, string>('varchar', same, (stored) => stored as D, length);
}

/** `text`: a string of any length. */
export const text: Codec<string, string> = codec<string, string>('text', same, same);

/** `integer`: a 32-bit whole number. */
export const integer: Codec<number, number> = codec<number, number>('integer', same, (stored) => Number(stored));

/** `bigint`: a whole number up to 2^53 − 1 here (amounts in minor units, epoch milliseconds). */
export const bigint: Codec<number, number | string> = codec<number, number | string>('bigint', same, (stored) => Number(stored));

/** `double precision`: a float (a latency in milliseconds). */
export const doublePrecision: Codec<number, number> = codec<number, number>('double precision', same, (stored) => Number(stored));

/**
 * An ISO-8601 instant of the domain stored as `bigint` epoch milliseconds (UTC): exact, identical
 * on both databases, comparable as numbers. Writing a string that is not an instant throws a
 * `RangeError`.
 */
export const instant: Codec<string, number | string> = codec<string, number | string>('bigint', toEpochMs, toIso);

/** A JSON value stored as `text` (metadata, an event's payload). */
export function json<D>(): Codec<D, string> {
  return codec<D, string>('text', (value) => JSON.stringify(value), (stored) => JSON.parse(stored) as D);
}

/** `codec`, accepting NULL: the column is nullable and a `null` domain value is stored as NULL. */
export function nullable<D, S>(inner: Codec<D, S>): Codec<D | null, S | null> {
  return {
    type: inner.type,
    length: inner.length,
    nullable: true,
    write: (value) => (value === null ? null : inner.write(value)),
    read: (stored) => (stored === null ? null : inner.read(stored)),
  };
}

/** What a column is besides its codec. Every option defaults to false / none. */
export interface ColumnOptions {
  /** Part of the primary key (the key of a compare-and-swap UPDATE). */
  readonly primary?: boolean;
  /**
   * The optimistic-lock version: an INSERT writes it, the compare-and-swap UPDATE never sets it
   * from a parameter but compares it (`version = ?`) and increments it (`version = version + 1`).
   */
  readonly version?: boolean;
  /** The database numbers it (an auto-increment key): never written. `bigint` on PostgreSQL, SQLite's `integer` (64-bit) on SQLite. */
  readonly generated?: boolean;
  /** The database's default value, as the migration declares it. */
  readonly default?: number;
}

/**
 * One column of a table whose rows are written from objects of type `T` (with a context `C`: a
 * parent's id, a position, a time stamp) and read back into `T`.
 *
 * `N` is the column's name and `S` its type in a row (both kept literally, so a row type can be
 * derived from a table: see `RowOf`).
 */
export interface Column<T, C, N extends string = string, S = unknown> {
  /** The column's name in the database. */
  readonly name: N;
  /** Its SQL type, length and nullability: those of its codec. */
  readonly type: SqlType;
  readonly length: number | undefined;
  readonly nullable: boolean;
  /** What {@link ColumnOptions} said (false / undefined when it said nothing). */
  readonly primary: boolean;
  readonly version: boolean;
  readonly generated: boolean;
  readonly default: number | undefined;
  /**
   * The statement parameter for this column when `value` is written with `context`. Undefined for
   * a column an INSERT leaves alone: a generated key, or state that the store's own SQL manages.
   */
  readonly write: ((value: T, context: C) => unknown) | undefined;
  /**
   * Puts the domain value of `stored` into the object being read back (`T` under construction).
   * Undefined for a column that is not part of `T` (a parent's key, a position, managed state).
   */
  readonly read: ((stored: S, into: Record<string, unknown>) => void) | undefined;
}

/**
 * A column of `codec` with `options`, written by `write` and read back by `read` (see {@link Column}).
 * The builders of `column-table.ts` are the readable way to declare one.
 */
export function column<T, C, N extends string, D, S>(
  name: N,
  codec: Codec<D, S>,
  options: ColumnOptions,
  write: ((value: T, context: C) => unknown) | undefined,
  read: ((stored: S, into: Record<string, unknown>) => void) | undefined,
): Column<T, C, N, S> {
  return {
    name,
    type: codec.type,
    length: codec.length,
    nullable: codec.nullable,
    primary: options.primary ?? false,
    version: options.version ?? false,
    generated: options.generated ?? false,
    default: options.default,
    write: options.generated === true ? undefined : write,
    read,
  };
}
