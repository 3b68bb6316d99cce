/// <reference types="jest" />
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, maskCredentials, type CreateDataSourceOptions } from '../data-source/create-data-source';
import { DatabaseUnavailableError } from '../errors/database-unavailable.error';
import { migrate } from '../migrations/migrations';
import { AEGISPAY_TABLES } from '../schema/tables';
import type { SqlDialect } from '../sql/sql-dialect';
import { qualifiedName } from '../sql/qualified-name';

/** The tables to empty, children first. */
const TABLES = [...AEGISPAY_TABLES].reverse().map((table) => table.name);

/** The PostgreSQL URL tests may use (`AEGISPAY_TEST_PG_URL`), or undefined when PostgreSQL tests should skip. */
export function postgresTestUrl(): string | undefined {
  const url = process.env['AEGISPAY_TEST_PG_URL'];
  return url === undefined || url === '' ? undefined : url;
}

/**
 * Prints one plain line saying that the PostgreSQL part of `what` is skipped and why (a line on
 * stderr: Jest hides the console output of a suite whose tests are all skipped).
 */
export function announcePostgresSkip(what: string): void {
  process.stderr.write(`PostgreSQL part of "${what}" skipped: AEGISPAY_TEST_PG_URL is not set (.ci/run sets it).\n`);
}

/** The dialects a suite runs on: SQLite always, PostgreSQL when `AEGISPAY_TEST_PG_URL` is set (else one line saying why). */
export function testDialects(what: string): SqlDialect[] {
  if (postgresTestUrl() !== undefined) return ['sqlite', 'postgres'];
  announcePostgresSkip(what);
  return ['sqlite'];
}

/** A migrated, private database for one test suite: an SQLite file in a temp directory, or a PostgreSQL schema with a random name. */
export interface TestDatabase {
  readonly dialect: SqlDialect;
  /** What `createDataSource` needs to reach it: `url` and, on PostgreSQL, `schema`. */
  readonly connection: Pick<CreateDataSourceOptions, 'url' | 'schema'>;
  /** A connected data source on it. */
  readonly dataSource: DataSource;
  /** Another, independent connection (pool) to the same database; the caller destroys it. */
  open(options?: Omit<CreateDataSourceOptions, 'url' | 'schema'>): Promise<DataSource>;
  /** Empties every AegisPay table. */
  reset(): Promise<void>;
  /** Closes the data source and deletes the file or drops the schema. */
  dispose(): Promise<void>;
}

/**
 * Creates a migrated test database. PostgreSQL needs `AEGISPAY_TEST_PG_URL`; each call gets its
 * own schema (`aegispay_test_<random>`), so parallel suites and CI jobs never meet.
 *
 * When it fails, it throws one error saying what is wrong and leaves nothing behind (no open
 * connection, no temp directory, no schema).
 *
 * @throws DatabaseUnavailableError when `AEGISPAY_TEST_PG_URL` names a database that cannot be
 *   opened (no such database, server not running, credentials refused), saying so and how to fix
 *   or skip it.
 */
export async function createTestDatabase(dialect: SqlDialect, options: Omit<CreateDataSourceOptions, 'url' | 'schema'> = {}): Promise<TestDatabase> {
  let connection: Pick<CreateDataSourceOptions, 'url' | 'schema'>;
  /** Drops the schema (PostgreSQL, through a connected data source) or deletes the directory (SQLite). */
  let cleanup: (dataSource: DataSource | undefined) => Promise<void>;
  if (dialect === 'postgres') {
    const url = postgresTestUrl();
    if (url === undefined) throw new Error('createTestDatabase("postgres") needs AEGISPAY_TEST_PG_URL.');
    const schema = `aegispay_test_${randomBytes(6).toString('hex')}`;
    connection = { url, schema };
    cleanup = async (dataSource) => {
      if (dataSource?.isInitialized === true) await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    };
  } else {
    const directory = mkdtempSync(join(tmpdir(), 'aegispay-test-'));
    connection = { url: `sqlite:${join(directory, 'aegispay.sqlite')}` };
    cleanup = async () => rmSync(directory, { recursive: true, force: true });
  }
  // The schema is dropped before the connection closes; the SQLite file is deleted after.
  const dispose = async (dataSource: DataSource | undefined): Promise<void> => {
    try {
      if (dialect === 'postgres') await cleanup(dataSource);
    } finally {
      if (dataSource?.isInitialized === true) await dataSource.destroy();
      if (dialect === 'sqlite') await cleanup(dataSource);
    }
  };
  let dataSource: DataSource;
  try {
    dataSource = await createDataSource({ ...options, ...connection });
  } catch (error) {
    await dispose(undefined);
    throw DatabaseUnavailableError.is(error) && dialect === 'postgres'
      ? new DatabaseUnavailableError(
          `AEGISPAY_TEST_PG_URL=${maskCredentials(connection.url ?? '')}`,
          error.cause,
          'Point AEGISPAY_TEST_PG_URL at a PostgreSQL database that exists (for example postgres://postgres@127.0.0.1:5432/test), or unset it to skip the PostgreSQL suites.',
        )
      : error;
  }
  try {
    await migrate(dataSource);
  } catch (error) {
    await dispose(dataSource).catch(() => undefined);
    throw error;
  }
  const table = (name: string): string => qualifiedName(connection.schema, name);
  return {
    dialect,
    connection,
    dataSource,
    open: (more = {}) => createDataSource({ ...options, ...more, ...connection }),
    async reset() {
      if (dialect === 'postgres') {
        await dataSource.query(`TRUNCATE ${TABLES.map(table).join(', ')} RESTART IDENTITY`);
      } else {
        for (const name of TABLES) await dataSource.query(`DELETE FROM ${table(name)}`);
        await dataSource.query(`DELETE FROM sqlite_sequence WHERE name = 'outbox_messages'`);
      }
    },
    dispose: () => dispose(dataSource),
  };
}

/**
 * Gives the enclosing `describe` block a migrated test database: created in `beforeAll`, disposed
 * of in `afterAll`. Returns a function that hands it to tests and hooks.
 *
 * When the database cannot be created, Jest reports that error alone: `afterAll` has nothing to
 * dispose of and stays silent (a bare `database.dispose()` there would add a `TypeError`).
 */
export function useTestDatabase(dialect: SqlDialect, options: Omit<CreateDataSourceOptions, 'url' | 'schema'> = {}): () => TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(dialect, options);
  });
  afterAll(async () => {
    await database?.dispose();
    database = undefined;
  });
  return () => {
    if (database === undefined) throw new Error(`The ${dialect} test database exists only between beforeAll and afterAll (and not at all when creating it failed).`);
    return database;
  };
}
