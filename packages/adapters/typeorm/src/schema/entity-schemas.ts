import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';
import type { SqlDialect } from '../sql/sql-dialect';
import type { AnyColumn, TableShape } from './column-table';
import { AEGISPAY_TABLES } from './tables';

/**
 * The TypeORM mappings of AegisPay's tables, as `EntitySchema`s derived from the column tables
 * (`tables.ts`): the domain stays free of ORM decorators, and the rows are plain data. They
 * describe exactly what the migrations create (a test checks that TypeORM finds nothing to
 * change), with explicit constraint and index names.
 *
 * A generated key (the outbox sequence) is the one column whose type depends on the database:
 * `bigint` (`bigserial`) on PostgreSQL, SQLite's `integer primary key autoincrement` (itself
 * 64-bit) on SQLite.
 */
export function aegisPayEntitySchemas(dialect: SqlDialect): EntitySchema[] {
  return AEGISPAY_TABLES.map((table) => entitySchemaOf(table, dialect));
}

function entitySchemaOf(table: TableShape, dialect: SqlDialect): EntitySchema {
  return new EntitySchema({
    name: table.entity,
    tableName: table.name,
    columns: Object.fromEntries(table.columns.map((column) => [column.name, columnOptions(column, table.primaryKeyConstraint, dialect)])),
    indices: table.indices.map((index) => ({
      name: index.name,
      columns: [...index.columns],
      ...(index.unique === true ? { unique: true } : {}),
      ...(index.where === undefined ? {} : { where: index.where }),
    })),
    foreignKeys: table.foreignKeys.map((key) => ({
      name: key.name,
      target: key.references.entity,
      columnNames: [...key.columns],
      referencedColumnNames: [...key.referencedColumns],
    })),
  });
}

function columnOptions(column: AnyColumn, primaryKeyConstraint: string, dialect: SqlDialect): EntitySchemaColumnOptions {
  return {
    type: column.generated ? (dialect === 'postgres' ? 'bigint' : 'integer') : column.type,
    ...(column.length === undefined ? {} : { length: column.length }),
    ...(column.nullable ? { nullable: true } : {}),
    ...(column.primary ? { primary: true, primaryKeyConstraintName: primaryKeyConstraint } : {}),
    ...(column.generated ? { generated: 'increment' as const } : {}),
    ...(column.default === undefined ? {} : { default: column.default }),
  };
}
