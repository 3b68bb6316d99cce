import type { DataSource } from 'typeorm';
import { UnsupportedDatabaseError } from '../errors/unsupported-database.error';

/** The databases AegisPay's adapter speaks. */
export type SqlDialect = 'sqlite' | 'postgres';

/** The dialect of an AegisPay data source. */
export function dialectOf(dataSource: DataSource): SqlDialect {
  const type = dataSource.options.type;
  if (type === 'better-sqlite3') return 'sqlite';
  if (type === 'postgres') return 'postgres';
  throw new UnsupportedDatabaseError(`A TypeORM data source of type ${type}`);
}
