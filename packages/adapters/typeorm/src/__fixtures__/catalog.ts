/*
 * A table as the database's own catalog describes it (SQLite's pragmas, PostgreSQL's
 * information_schema and pg_catalog), in one neutral shape, and the same shape derived from a
 * column table: comparing the two proves that the column tables describe exactly what the
 * migrations created.
 */
import type { DataSource } from 'typeorm';
import type { TableShape } from '../schema/column-table';
import type { SqlDialect } from '../sql/sql-dialect';

/** One table's columns, keys, indices and foreign keys; lists sorted by name. */
export interface TableCatalog {
  readonly columns: readonly { readonly name: string; readonly type: string; readonly nullable: boolean; readonly default: string | null }[];
  /** Primary-key columns in key order; PostgreSQL also names the constraint (SQLite does not keep the name). */
  readonly primaryKey: { readonly name: string | null; readonly columns: readonly string[] };
  readonly indices: readonly { readonly name: string; readonly columns: readonly string[]; readonly unique: boolean; readonly where: string | null }[];
  readonly foreignKeys: readonly { readonly name: string | null; readonly columns: readonly string[]; readonly references: string; readonly referencedColumns: readonly string[] }[];
}

const byName = <T extends { readonly name: string | null }>(list: T[]): T[] => list.sort((a, b) => String(a.name).localeCompare(String(b.name)));

/** What the catalog should say about `table` on `dialect`, derived from its column table. */
export function expectedCatalog(table: TableShape, dialect: SqlDialect): TableCatalog {
  return {
    columns: byName(
      table.columns.map((column) => ({
        name: column.name,
        type: column.generated ? (dialect === 'postgres' ? 'bigint' : 'integer') : column.length === undefined ? column.type : `${column.type}(${column.length})`,
        nullable: column.nullable,
        default: column.generated ? 'increment' : column.default === undefined ? null : String(column.default),
      })),
    ),
    primaryKey: { name: dialect === 'postgres' ? table.primaryKeyConstraint : null, columns: table.columns.filter((c) => c.primary).map((c) => c.name) },
    indices: byName(table.indices.map((index) => ({ name: index.name, columns: [...index.columns], unique: index.unique ?? false, where: index.where ?? null }))),
    foreignKeys: byName(
      table.foreignKeys.map((key) => ({
        name: dialect === 'postgres' ? key.name : null,
        columns: [...key.columns],
        references: key.references.name,
        referencedColumns: [...key.referencedColumns],
      })),
    ),
  };
}

/** Names of the tables in the database (on PostgreSQL, in `schema`). */
export async function tableNames(dataSource: DataSource, dialect: SqlDialect, schema: string | undefined): Promise<string[]> {
  const rows: { name: string }[] =
    dialect === 'postgres'
      ? await dataSource.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1`, [schema])
      : await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  return rows.map((row) => row.name).sort();
}

/** What the database's catalog says about `table`. */
export function readCatalog(dataSource: DataSource, dialect: SqlDialect, table: string, schema: string | undefined): Promise<TableCatalog> {
  return dialect === 'postgres' ? postgresCatalog(dataSource, table, schema ?? 'public') : sqliteCatalog(dataSource, table);
}

async function sqliteCatalog(dataSource: DataSource, table: string): Promise<TableCatalog> {
  const info: { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[] = await dataSource.query(`PRAGMA table_info("${table}")`);
  const [{ sql }] = (await dataSource.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [table])) as [{ sql: string }];
  const autoincrement = /AUTOINCREMENT/i.test(sql);
  const indexList: { name: string; unique: number; origin: string }[] = await dataSource.query(`PRAGMA index_list("${table}")`);
  const indices = await Promise.all(
    indexList
      .filter((index) => index.origin === 'c')
      .map(async (index) => {
        const columns: { seqno: number; name: string }[] = await dataSource.query(`PRAGMA index_info("${index.name}")`);
        const [definition] = (await dataSource.query(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, [index.name])) as [{ sql: string }];
        const where = /\sWHERE\s+(.+)$/is.exec(definition.sql)?.[1] ?? null;
        return { name: index.name, columns: columns.sort((a, b) => a.seqno - b.seqno).map((c) => c.name), unique: index.unique === 1, where };
      }),
  );
  const keys: { id: number; seq: number; table: string; from: string; to: string }[] = await dataSource.query(`PRAGMA foreign_key_list("${table}")`);
  const foreignKeys = [...new Set(keys.map((key) => key.id))].map((id) => {
    const parts = keys.filter((key) => key.id === id).sort((a, b) => a.seq - b.seq);
    return { name: null, columns: parts.map((p) => p.from), references: parts[0]?.table ?? '', referencedColumns: parts.map((p) => p.to) };
  });
  return {
    columns: byName(
      info.map((column) => ({
        name: column.name,
        type: column.type.toLowerCase(),
        nullable: column.notnull === 0,
        default: autoincrement && column.pk > 0 ? 'increment' : column.dflt_value === null ? null : column.dflt_value.replace(/[()']/g, ''),
      })),
    ),
    primaryKey: { name: null, columns: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name) },
    indices: byName(indices),
    foreignKeys: byName(foreignKeys),
  };
}

/** Column names of an attribute-number array (`conkey`, `indkey`) of relation `rel`, in order. */
const attributeNames = (numbers: string, rel: string): string =>
  `(SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(${numbers}::int2[]) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.attnum)`;

async function postgresCatalog(dataSource: DataSource, table: string, schema: string): Promise<TableCatalog> {
  const columns: { name: string; data_type: string; length: number | null; is_nullable: string; column_default: string | null }[] = await dataSource.query(
    'SELECT column_name AS name, data_type, character_maximum_length AS length, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
    [schema, table],
  );
  const relation = 'SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2';
  const [primaryKey] = (await dataSource.query(
    `SELECT con.conname AS name, ${attributeNames('con.conkey', 'con.conrelid')} AS columns FROM pg_constraint con WHERE con.contype = 'p' AND con.conrelid = (${relation})`,
    [schema, table],
  )) as { name: string; columns: string[] }[];
  const indices: { name: string; columns: string[]; unique: boolean; predicate: string | null }[] = await dataSource.query(
    `SELECT i.relname AS name, ${attributeNames('ix.indkey', 'ix.indrelid')} AS columns, ix.indisunique AS unique, pg_get_expr(ix.indpred, ix.indrelid) AS predicate ` +
      `FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid WHERE NOT ix.indisprimary AND ix.indrelid = (${relation})`,
    [schema, table],
  );
  const foreignKeys: { name: string; columns: string[]; references: string; referencedColumns: string[] }[] = await dataSource.query(
    `SELECT con.conname AS name, ${attributeNames('con.conkey', 'con.conrelid')} AS columns, ft.relname AS "references", ` +
      `${attributeNames('con.confkey', 'con.confrelid')} AS "referencedColumns" FROM pg_constraint con JOIN pg_class ft ON ft.oid = con.confrelid ` +
      `WHERE con.contype = 'f' AND con.conrelid = (${relation})`,
    [schema, table],
  );
  return {
    columns: byName(
      columns.map((column) => ({
        name: column.name,
        type: column.data_type === 'character varying' ? `varchar(${column.length ?? ''})` : column.data_type,
        nullable: column.is_nullable === 'YES',
        default: column.column_default === null ? null : column.column_default.startsWith('nextval(') ? 'increment' : column.column_default.replace(/[()']/g, ''),
      })),
    ),
    primaryKey: { name: primaryKey?.name ?? null, columns: primaryKey?.columns ?? [] },
    indices: byName(indices.map(({ predicate, ...index }) => ({ ...index, where: predicate === null ? null : predicate.replace(/^\((.*)\)$/s, '$1') }))),
    foreignKeys: byName(foreignKeys),
  };
}
