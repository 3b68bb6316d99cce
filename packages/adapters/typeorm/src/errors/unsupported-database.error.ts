import { AegisPayError } from '@aegispay/domain';

/**
 * The database URL or data source is not one AegisPay's TypeORM adapter supports
 * (`PERSISTENCE.UNSUPPORTED_DATABASE`): use `postgres://…` (or `postgresql://…`) for PostgreSQL
 * and `sqlite:<file>` (or `sqlite::memory:`) for SQLite through better-sqlite3.
 */
export class UnsupportedDatabaseError extends AegisPayError {
  constructor(what: string) {
    super(
      'PERSISTENCE.UNSUPPORTED_DATABASE',
      `${what} is not supported: use postgres://user@host:5432/db for PostgreSQL, or sqlite:./data/aegispay.sqlite (or sqlite::memory:) for SQLite.`,
      { details: { what } },
    );
  }
}
