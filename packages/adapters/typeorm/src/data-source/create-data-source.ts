import { isAbsolute, resolve } from 'node:path';
import { OptionChecks } from '@aegispay/domain';
import { DataSource, type DataSourceOptions, type Logger, type LoggerOptions } from 'typeorm';
import { DatabaseUnavailableError } from '../errors/database-unavailable.error';
import { UnsupportedDatabaseError } from '../errors/unsupported-database.error';
import { AEGISPAY_MIGRATIONS, MIGRATIONS_TABLE } from '../migrations/migrations';
import { aegisPayEntitySchemas } from '../schema/entity-schemas';

/** Where the embedded database lives when no URL is given. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/aegispay.sqlite';

/**
 * SQLite's `synchronous` setting, in WAL mode.
 * - `'FULL'`: the WAL is synced on every commit; a committed payment survives a power cut.
 * - `'NORMAL'`: synced at checkpoints only; commits are several times faster, survive a crash of
 *   the process, but the last commits may be lost on a power cut or an OS crash.
 */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

/** Options of {@link createDataSource}. */
export interface CreateDataSourceOptions {
  /**
   * `postgres://user@host:5432/db` (or `postgresql://`) for PostgreSQL; `sqlite:<file>` for an
   * SQLite file (created with its directory), `sqlite::memory:` for a private in-memory database.
   * Defaults to {@link DEFAULT_DATABASE_URL} (`sqlite:./data/aegispay.sqlite`, relative to the
   * working directory).
   */
  readonly url?: string;
  /** PostgreSQL schema holding AegisPay's tables (created by `migrate` when missing). Defaults to the connection's `search_path` (normally `public`). */
  readonly schema?: string;
  /** SQLite durability; see {@link SqliteSynchronous}. Defaults to `'FULL'`: a committed payment is never lost. */
  readonly synchronous?: SqliteSynchronous;
  /** How long an SQLite writer waits for another process's write lock before failing with SQLITE_BUSY (whole ms ≥ 0). Defaults to 5 000 ms. */
  readonly busyTimeoutMs?: number;
  /** PostgreSQL connection pool size (a whole number ≥ 1). Defaults to 10. */
  readonly poolSize?: number;
  /** TypeORM query logging. Defaults to `false` (libraries do not print). */
  readonly logging?: LoggerOptions;
}

/** A TypeORM logger that writes nothing (errors still reach the caller as exceptions). */
const SILENT_LOGGER: Logger = Object.freeze({
  logQuery: () => undefined,
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
});

/**
 * The TypeORM options AegisPay uses for `options.url`: entity schemas, migrations (never
 * `synchronize`) and, for SQLite, WAL mode with `busy_timeout`, `synchronous` and foreign keys.
 * For the TypeORM CLI or a data source you build yourself.
 *
 * @throws UnsupportedDatabaseError for a URL that is neither SQLite nor PostgreSQL.
 * @throws InvalidOptionError `PERSISTENCE.INVALID_OPTION` naming a malformed option.
 */
export function aegisPayDataSourceOptions(options: CreateDataSourceOptions = {}): DataSourceOptions {
  const url = options.url ?? DEFAULT_DATABASE_URL;
  const logging = options.logging ?? false;
  const common = {
    migrations: AEGISPAY_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    synchronize: false,
    logging,
    // TypeORM prints migration messages whatever `logging` says; a library must not print.
    ...(logging === false ? { logger: SILENT_LOGGER } : {}),
  } as const;
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return {
      type: 'postgres',
      url,
      entities: aegisPayEntitySchemas('postgres'),
      poolSize: checks.integer('poolSize', options.poolSize, 10, { min: 1 }),
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...common,
    };
  }
  if (url.startsWith('sqlite:')) {
    const location = url.slice('sqlite:'.length);
    if (location === '') throw new UnsupportedDatabaseError(`The URL ${url} (no file)`);
    const database = location === ':memory:' || isAbsolute(location) ? location : resolve(location);
    const synchronous = checks.oneOf('synchronous', options.synchronous, 'FULL', ['FULL', 'NORMAL']);
    const busyTimeoutMs = checks.integer('busyTimeoutMs', options.busyTimeoutMs, 5_000, { min: 0 });
    return {
      type: 'better-sqlite3',
      database,
      entities: aegisPayEntitySchemas('sqlite'),
      enableWAL: true,
      timeout: busyTimeoutMs,
      prepareDatabase: (connection: { pragma(source: string): unknown }) => {
        connection.pragma(`busy_timeout = ${busyTimeoutMs}`);
        connection.pragma(`synchronous = ${synchronous}`);
      },
      ...common,
    };
  }
  throw new UnsupportedDatabaseError(`The URL ${maskCredentials(url)}`);
}

/** `url` with its user and password replaced by `***`, fit for a message or a log line. */
export function maskCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

const checks = new OptionChecks('PERSISTENCE.INVALID_OPTION', 'createDataSource');

/**
 * Creates and connects the data source for `options.url` (SQLite file by default, PostgreSQL for
 * `postgres://`). Call `migrate(dataSource)` before using it, and `dataSource.destroy()` at
 * shutdown.
 *
 * @throws UnsupportedDatabaseError for a URL that is neither SQLite nor PostgreSQL.
 * @throws ValidationError `PERSISTENCE.INVALID_OPTION` naming a malformed option.
 * @throws DatabaseUnavailableError `PERSISTENCE.DATABASE_UNAVAILABLE` when the database cannot be
 *   opened (server unreachable, credentials refused, no such database, file not creatable): the
 *   one error, saying which database and why, with the driver's error as `cause`.
 */
export async function createDataSource(options: CreateDataSourceOptions = {}): Promise<DataSource> {
  const typeormOptions = aegisPayDataSourceOptions(options);
  const dataSource = new DataSource(typeormOptions);
  try {
    await dataSource.initialize();
  } catch (error) {
    // TypeORM closes what it opened when initialisation fails after connecting; a failed connect leaves nothing open.
    if (typeormOptions.type === 'postgres') throw new DatabaseUnavailableError(maskCredentials(typeormOptions.url ?? ''), error);
    throw new DatabaseUnavailableError(
      `sqlite:${String(typeormOptions.database)}`,
      error,
      'Check that the directory can be created and written, and that the file is an SQLite database.',
    );
  }
  return dataSource;
}
