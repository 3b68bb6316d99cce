import type { DataSource } from 'typeorm';
import { qualifiedName } from '../sql/qualified-name';
import { dialectOf } from '../sql/sql-dialect';
import { SqlSession } from '../sql/sql-session';
import { InitialSchema1767225600000 } from './1767225600000-initial-schema';
import { AttemptsBeforeSending1767830400000 } from './1767830400000-attempts-before-sending';
import { PaymentListingIndexes1768435200000 } from './1768435200000-payment-listing-indexes';
import { PublishedOutboxIndex1768521600000 } from './1768521600000-published-outbox-index';

/** AegisPay's migrations, oldest first. */
export const AEGISPAY_MIGRATIONS = [InitialSchema1767225600000, AttemptsBeforeSending1767830400000, PaymentListingIndexes1768435200000, PublishedOutboxIndex1768521600000];

/** The table TypeORM records applied migrations in. */
export const MIGRATIONS_TABLE = 'aegispay_migrations';

/** An arbitrary, fixed key for PostgreSQL's advisory lock around migrations. */
const MIGRATION_LOCK_KEY = 0x4145_4749;

/**
 * Applies pending migrations, each in its own transaction, and returns the names applied.
 * On PostgreSQL it creates the configured schema when missing and holds an advisory lock, so
 * several processes starting together migrate once. On SQLite, run it from one process.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  if (dialectOf(dataSource) !== 'postgres') {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const schema = (dataSource.options as { schema?: string }).schema;
    if (schema !== undefined) await lock.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
    return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
  } finally {
    try {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    } finally {
      await lock.release();
    }
  }
}

/**
 * The names of AegisPay's migrations that have not been applied to the database, oldest first
 * (all of them on a database never migrated): what a readiness probe checks. Reads the migrations
 * table only; applies nothing.
 *
 * @throws the driver's error when the database does not answer.
 */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const session = SqlSession.of(dataSource);
  const schema = (dataSource.options as { schema?: string }).schema;
  const exists =
    session.dialect === 'postgres'
      ? ((await session.rows<{ found: string | null }>('SELECT to_regclass(?) AS found', [qualifiedName(schema, MIGRATIONS_TABLE)]))[0]?.found ?? null) !== null
      : (await session.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE])).length > 0;
  const applied = exists ? new Set((await session.rows<{ name: string }>(`SELECT name FROM ${session.table(MIGRATIONS_TABLE)}`)).map((row) => row.name)) : new Set<string>();
  return AEGISPAY_MIGRATIONS.map((Migration) => new Migration().name).filter((name) => !applied.has(name));
}
