import type { AnyColumn, ColumnTable } from '../schema/column-table';
import type { SqlDialect } from './sql-dialect';

/** A statement with `?` placeholders and the function that lists its parameters in their order. */
export interface Statement<A extends readonly unknown[]> {
  readonly sql: string;
  readonly parameters: (...args: A) => unknown[];
}

/** A table of `T` written with context `C`, whatever its columns. */
type Table<T, C> = ColumnTable<T, C, readonly AnyColumn<T, C>[]>;

/** A table's readable columns, whatever it holds. */
interface Readable {
  readonly readable: readonly { readonly name: string }[];
}

/**
 * `INSERT INTO <qualified> (<inserted columns>) VALUES (?, …)`, with the parameters of one row:
 * both come from the table's `inserted` columns, so they cannot disagree.
 */
export function insertStatement<T, C>(table: Table<T, C>, qualified: string): Statement<[value: T, context: C]> {
  const names = table.inserted.map((column) => column.name);
  return {
    sql: `INSERT INTO ${qualified} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    parameters: (value, context) => table.parameters(value, context),
  };
}

/**
 * The optimistic lock's compare-and-swap: every inserted column except the key and the version is
 * set from the object, the version is incremented, and the row must still hold the expected
 * version — `UPDATE <qualified> SET a = ?, …, version = version + 1 WHERE id = ? AND version = ?`.
 * Its affected-row count decides: 1 is success, 0 a conflict (or no such row).
 *
 * @throws RangeError when the table has no version column or a key not written from the object (a programming error).
 */
export function compareAndSwapStatement<T>(table: Table<T, void>, qualified: string): Statement<[value: T, expectedVersion: number]> {
  const version = table.versionColumn;
  if (version === undefined) throw new RangeError(`Table ${table.name} has no version column.`);
  const key = table.inserted.filter((column) => column.primary);
  if (key.length !== table.primaryKey.length) throw new RangeError(`Table ${table.name}: a compare-and-swap needs a primary key written from the object.`);
  const assigned = table.inserted.filter((column) => !column.primary);
  const set = assigned.map((column) => (column === version ? `${column.name} = ${column.name} + 1` : `${column.name} = ?`));
  const where = [...key, version].map((column) => `${column.name} = ?`);
  const parameterColumns = [...assigned.filter((column) => column !== version), ...key];
  return {
    sql: `UPDATE ${qualified} SET ${set.join(', ')} WHERE ${where.join(' AND ')}`,
    parameters: (value, expectedVersion) => [...parameterColumns.map((column) => column.write(value, undefined)), expectedVersion],
  };
}

/** `alias.a, alias.b, …`: the table's readable columns, which `ColumnTable.read` reads by name. */
export function selectList(table: Readable, alias: string): string {
  return table.readable.map((column) => `${alias}.${column.name}`).join(', ');
}

/**
 * One row as a JSON array of the table's readable columns, in the order `ColumnTable.readTuple`
 * reads them: `json_build_array(alias.a, …)` on PostgreSQL, `json_array(alias.a, …)` on SQLite.
 * (Arrays are smaller and faster to parse than objects: a payment's read aggregates every child.)
 */
export function jsonTuple(table: Readable, alias: string, dialect: SqlDialect): string {
  return `${dialect === 'postgres' ? 'json_build_array' : 'json_array'}(${selectList(table, alias)})`;
}
