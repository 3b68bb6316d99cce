import { column, type Codec, type Column, type ColumnOptions } from './column';

/** Any column of a table of `T` written with context `C` (its name and row type forgotten). */
export type AnyColumn<T = never, C = never> = Column<T, C, string, never>;

/** An index, exactly as the migrations create it. */
export interface IndexDefinition<N extends string = string> {
  readonly name: string;
  /** Its columns, in index order. */
  readonly columns: readonly N[];
  /** Defaults to false. */
  readonly unique?: boolean;
  /** The condition of a partial index, as the migration writes it (`published_at IS NULL`). */
  readonly where?: string;
}

/** A foreign key, exactly as the migrations create it. */
export interface ForeignKeyDefinition<N extends string = string> {
  readonly name: string;
  /** The referencing columns of this table. */
  readonly columns: readonly N[];
  /** The referenced table. */
  readonly references: { readonly name: string; readonly entity: string };
  readonly referencedColumns: readonly string[];
}

/** What {@link ColumnBuilders.table} takes: the table's names, its columns in order, its indices and foreign keys. */
export interface TableDefinition<Cols extends readonly AnyColumn[]> {
  /** The table's name in the database (unqualified). */
  readonly name: string;
  /** The name of its TypeORM `EntitySchema` (`AegisPayPayment`). */
  readonly entity: string;
  /** The name of its primary-key constraint (`pk_payments`). */
  readonly primaryKeyConstraint: string;
  readonly columns: Cols;
  /** Defaults to none. */
  readonly indices?: readonly IndexDefinition<NoInfer<Cols[number]['name']>>[];
  /** Defaults to none. */
  readonly foreignKeys?: readonly ForeignKeyDefinition<NoInfer<Cols[number]['name']>>[];
}

/** A table's names, columns, indices and foreign keys, whatever the objects it holds. */
export interface TableShape {
  /** The table's name in the database (unqualified). */
  readonly name: string;
  /** The name of its TypeORM `EntitySchema`. */
  readonly entity: string;
  /** The name of its primary-key constraint. */
  readonly primaryKeyConstraint: string;
  /** Its columns, in the order the migrations created them. */
  readonly columns: readonly AnyColumn[];
  readonly indices: readonly IndexDefinition[];
  readonly foreignKeys: readonly ForeignKeyDefinition[];
}

/** A column that an INSERT writes. */
type WrittenColumn<T, C> = Column<T, C, string, never> & { readonly write: (value: T, context: C) => unknown };
/** A column read back into `T`. */
type ReadColumn<T, C> = Column<T, C, string, never> & { readonly read: (stored: never, into: Record<string, unknown>) => void };

/**
 * A table described once: each column's name, SQL type, nullability, and how it is written from
 * and read back into the domain's objects. The entity schemas, the row types, the INSERT and
 * UPDATE statements with their parameter lists, and the reads are all derived from it, so the
 * order of the columns is known in one place only.
 */
export class ColumnTable<T, C, Cols extends readonly AnyColumn<T, C>[]> implements TableShape {
  /** As in {@link TableDefinition}. */
  readonly name: string;
  readonly entity: string;
  readonly primaryKeyConstraint: string;
  /** Every column, in the order the migrations created them. */
  readonly columns: Cols;
  readonly indices: readonly IndexDefinition[];
  readonly foreignKeys: readonly ForeignKeyDefinition[];
  /** The columns an INSERT writes, in table order: the order of {@link ColumnTable.parameters}. */
  readonly inserted: readonly WrittenColumn<T, C>[];
  /** The columns read back into `T`, in table order: the order {@link ColumnTable.readTuple} expects. */
  readonly readable: readonly ReadColumn<T, C>[];
  /** The primary key's columns, in table order. */
  readonly primaryKey: readonly AnyColumn<T, C>[];
  /** The optimistic-lock version column, when the table has one. */
  readonly versionColumn: AnyColumn<T, C> | undefined;

  /** @throws RangeError when the table has no primary key or more than one version column. */
  constructor(definition: TableDefinition<Cols>) {
    this.name = definition.name;
    this.entity = definition.entity;
    this.primaryKeyConstraint = definition.primaryKeyConstraint;
    this.columns = definition.columns;
    this.indices = definition.indices ?? [];
    this.foreignKeys = definition.foreignKeys ?? [];
    this.inserted = definition.columns.filter((c): c is WrittenColumn<T, C> => c.write !== undefined);
    this.readable = definition.columns.filter((c): c is ReadColumn<T, C> => c.read !== undefined);
    this.primaryKey = definition.columns.filter((c) => c.primary);
    const versions = definition.columns.filter((c) => c.version);
    if (this.primaryKey.length === 0 || versions.length > 1) {
      throw new RangeError(`Table ${this.name} needs a primary key and at most one version column.`);
    }
    this.versionColumn = versions[0];
  }

  /** The INSERT parameters of `value`: one per column of {@link ColumnTable.inserted}, in that order. */
  parameters(value: T, context: C): unknown[] {
    return this.inserted.map((c) => c.write(value, context));
  }

  /** The `T` stored in `row`, a row keyed by column name (other keys are ignored). */
  read(row: Readonly<Record<string, unknown>>): T {
    const into: Record<string, unknown> = {};
    for (const c of this.readable) c.read(row[c.name] as never, into);
    return into as T;
  }

  /** The `T` stored in `values`: the values of {@link ColumnTable.readable}, in that order (a JSON array built by SQL). */
  readTuple(values: readonly unknown[]): T {
    const into: Record<string, unknown> = {};
    this.readable.forEach((c, index) => c.read(values[index] as never, into));
    return into as T;
  }
}

/**
 * The row type of a table, as the drivers return it: one property per column, named as the
 * column, of the column's stored type (`number | string` for `bigint`, `| null` when nullable).
 */
export type RowOf<Table extends { readonly columns: readonly AnyColumn[] }> = {
  -readonly [Col in Table['columns'][number] as Col['name']]: Col extends Column<never, never, string, infer S> ? S : never;
};

/** The column builders of one table, bound to its object type `T` and write context `C`. */
export interface ColumnBuilders<T, C> {
  /** A column holding the field `key` of `T`, through `codec`. */
  field<N extends string, K extends keyof T & string, S>(name: N, key: K, codec: Codec<T[K], S>, options?: ColumnOptions): Column<T, C, N, S>;
  /** A column holding the field `inner` of the object in the field `key` of `T` (`paymentMethod.type`). */
  nested<N extends string, K extends keyof T & string, J extends keyof T[K] & string, S>(
    name: N,
    key: K,
    inner: J,
    codec: Codec<T[K][J], S>,
    options?: ColumnOptions,
  ): Column<T, C, N, S>;
  /** A column written from the context (a parent's key, a position, a time stamp) and not read back into `T`. */
  fromContext<N extends string, D, S>(name: N, codec: Codec<D, S>, value: (context: C) => D, options?: ColumnOptions): Column<T, C, N, S>;
  /** A column that the store's own hand-written SQL writes and reads (delivery state, claims): declared for the schema only. */
  managed<N extends string, D, S>(name: N, codec: Codec<D, S>, options?: ColumnOptions): Column<T, C, N, S>;
  /** The table of these columns. */
  table<const Cols extends readonly AnyColumn<T, C>[]>(definition: TableDefinition<Cols>): ColumnTable<T, C, Cols>;
}

/** The column builders for a table of `T` objects written with context `C` (`void` when there is none). */
export function columnsOf<T, C = void>(): ColumnBuilders<T, C> {
  return {
    field: (name, key, codec, options = {}) =>
      column(
        name,
        codec,
        options,
        (value: T) => codec.write(value[key]),
        (stored, into) => {
          into[key] = codec.read(stored);
        },
      ),
    nested: (name, key, inner, codec, options = {}) =>
      column(
        name,
        codec,
        options,
        (value: T) => codec.write(value[key][inner]),
        (stored, into) => {
          const parent = (into[key] ??= {}) as Record<string, unknown>;
          parent[inner] = codec.read(stored);
        },
      ),
    fromContext: (name, codec, value, options = {}) => column(name, codec, options, (_: T, context: C) => codec.write(value(context)), undefined),
    managed: (name, codec, options = {}) => column(name, codec, options, undefined, undefined),
    table: (definition) => new ColumnTable(definition),
  };
}
