import { DataSource } from 'typeorm';
import { aegisPayDataSourceOptions } from '../data-source/create-data-source';
import { expectedCatalog, readCatalog, tableNames } from '../__fixtures__/catalog';
import { testDialects } from '../__fixtures__/postgres';
import { AEGISPAY_TABLES } from '../schema/tables';
import { useTestDatabase } from '../testing/test-database';
import { AEGISPAY_MIGRATIONS, migrate, MIGRATIONS_TABLE, pendingMigrations } from './migrations';

const MIGRATION_NAMES = AEGISPAY_MIGRATIONS.map((Migration) => new Migration().name);

const dialects = testDialects('Migration checks');

describe.each(dialects)('migrate on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  describe('when the database is migrated', () => {
    it('should leave nothing for the entity schemas to change (the migration and the mappings agree)', async () => {
      const pending = await database().dataSource.driver.createSchemaBuilder().log();

      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    });

    it('should have created exactly the tables of the column tables, and no other', async () => {
      const { dataSource, connection } = database();

      expect(await tableNames(dataSource, dialect, connection.schema)).toEqual([...AEGISPAY_TABLES.map((table) => table.name), MIGRATIONS_TABLE].sort());
    });

    it.each(AEGISPAY_TABLES.map((table) => [table.name, table] as const))(
      'should have created %s exactly as its column table describes it (columns, types, nullability, defaults, keys, indices, foreign keys)',
      async (name, table) => {
        const { dataSource, connection } = database();

        expect(await readCatalog(dataSource, dialect, name, connection.schema)).toEqual(expectedCatalog(table, dialect));
      },
    );

    it('should apply nothing a second time', async () => {
      expect(await pendingMigrations(database().dataSource)).toEqual([]);
      expect(await migrate(database().dataSource)).toEqual([]);
      expect(await database().dataSource.showMigrations()).toBe(false);
    });
  });

  describe('when the last migration is reverted', () => {
    it('should undo it and apply it again cleanly', async () => {
      const other = await database().open();
      try {
        await other.undoLastMigration({ transaction: 'each' });
        const afterUndo = await other.driver.createSchemaBuilder().log();
        expect(afterUndo.upQueries.length).toBeGreaterThan(0);
        expect(await pendingMigrations(other)).toEqual(MIGRATION_NAMES.slice(-1));

        expect(await migrate(other)).toEqual(MIGRATION_NAMES.slice(-1));
      } finally {
        await other.destroy();
      }
    });
  });
});

describe('aegisPayDataSourceOptions', () => {
  it('should never synchronize', () => {
    expect(aegisPayDataSourceOptions({ url: 'sqlite::memory:' }).synchronize).toBe(false);
    expect(aegisPayDataSourceOptions({ url: 'postgres://u@h/db' }).synchronize).toBe(false);
  });

  describe('when the database is new and empty', () => {
    it('should create everything from nothing', async () => {
      const dataSource = new DataSource(aegisPayDataSourceOptions({ url: 'sqlite::memory:' }));
      await dataSource.initialize();
      try {
        expect(await pendingMigrations(dataSource)).toEqual(MIGRATION_NAMES);
        expect(await migrate(dataSource)).toEqual(MIGRATION_NAMES);
        const tables = await dataSource.query<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        expect(tables.map((t) => t.name)).toEqual(
          expect.arrayContaining(['aegispay_migrations', 'idempotency_keys', 'outbox_messages', 'payment_attempts', 'payment_refunds', 'payments']),
        );
      } finally {
        await dataSource.destroy();
      }
    });
  });
});
