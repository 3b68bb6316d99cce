import type { DataSource } from 'typeorm';
import { dialectOf } from '../sql/sql-dialect';
import { InitialSchema1767225600000 } from './1767225600000-initial-schema';
import { AttemptsBeforeSending1767830400000 } from './1767830400000-attempts-before-sending';
import { PublishedOutboxIndex1768435200000 } from './1768435200000-published-outbox-index';

/** AegisPay's migrations, oldest first. */
export const AEGISPAY_MIGRATIONS = [InitialSchema1767225600000, AttemptsBeforeSending1767830400000, PublishedOutboxIndex1768435200000];

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
