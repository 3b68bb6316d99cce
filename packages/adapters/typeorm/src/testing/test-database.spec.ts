import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describeWithPostgres } from '../__fixtures__/postgres';
import { DatabaseUnavailableError } from '../errors/database-unavailable.error';
import { createTestDatabase, postgresTestUrl, useTestDatabase } from './test-database';

describe(createTestDatabase, () => {
  describe('when the database is disposed of', () => {
    it('should close it and delete its SQLite file', async () => {
      const database = await createTestDatabase('sqlite');
      const file = (database.connection.url as string).slice('sqlite:'.length);
      expect(existsSync(file)).toBe(true);

      await database.dispose();

      expect(database.dataSource.isInitialized).toBe(false);
      expect(existsSync(file)).toBe(false);
    });
  });

  describeWithPostgres('when AEGISPAY_TEST_PG_URL names a database that does not exist', () => {
    const configured = postgresTestUrl() as string;
    afterEach(() => {
      process.env['AEGISPAY_TEST_PG_URL'] = configured;
    });

    it('should reject with one error that says so and how to fix it, and nothing else', async () => {
      const url = new URL(configured);
      url.pathname = `/aegispay_missing_${randomBytes(4).toString('hex')}`;
      process.env['AEGISPAY_TEST_PG_URL'] = url.toString();

      const error = await createTestDatabase('postgres').catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).toMatch(
        new RegExp(`^Cannot open the database AEGISPAY_TEST_PG_URL=.*: database "${url.pathname.slice(1)}" does not exist\\. Point AEGISPAY_TEST_PG_URL at .* or unset it to skip`),
      );
    });
  });
});

describe(useTestDatabase, () => {
  const database = useTestDatabase('sqlite');

  describe('when a test asks for the database', () => {
    it('should hand it the database created before the tests', async () => {
      expect(await database().dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });
  });
});
