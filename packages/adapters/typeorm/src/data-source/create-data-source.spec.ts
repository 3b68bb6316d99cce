import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { describeWithPostgres } from '../__fixtures__/postgres';
import { DatabaseUnavailableError } from '../errors/database-unavailable.error';
import { UnsupportedDatabaseError } from '../errors/unsupported-database.error';
import { postgresTestUrl } from '../testing/test-database';
import { aegisPayDataSourceOptions, createDataSource, DEFAULT_DATABASE_URL } from './create-data-source';

describe(createDataSource, () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-ds-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  describe('when the URL names an SQLite file', () => {
    it('should create the file and its directory with WAL, busy_timeout, synchronous FULL and foreign keys', async () => {
      const dataSource = await createDataSource({ url: `sqlite:${join(directory, 'nested', 'a.sqlite')}`, busyTimeoutMs: 1234 });
      try {
        const pragma = async (name: string): Promise<unknown> => Object.values(((await dataSource.query(`PRAGMA ${name}`)) as Record<string, unknown>[])[0] ?? {})[0];

        expect(await pragma('journal_mode')).toBe('wal');
        expect(await pragma('busy_timeout')).toBe(1234);
        expect(await pragma('synchronous')).toBe(2);
        expect(await pragma('foreign_keys')).toBe(1);
      } finally {
        await dataSource.destroy();
      }
    });

    it('should use synchronous NORMAL when asked', async () => {
      const dataSource = await createDataSource({ url: `sqlite:${join(directory, 'b.sqlite')}`, synchronous: 'NORMAL' });
      try {
        expect(await dataSource.query('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]);
      } finally {
        await dataSource.destroy();
      }
    });
  });

  describe('when no URL is given', () => {
    it('should default to an SQLite file under ./data', () => {
      const options = aegisPayDataSourceOptions();

      expect(DEFAULT_DATABASE_URL).toBe('sqlite:./data/aegispay.sqlite');
      expect(options).toMatchObject({ type: 'better-sqlite3', database: join(process.cwd(), 'data', 'aegispay.sqlite') });
    });
  });

  describe('when the URL says postgres://', () => {
    it('should configure PostgreSQL with the pool size and schema', () => {
      expect(aegisPayDataSourceOptions({ url: 'postgresql://app@db:5432/pay', schema: 'aegis', poolSize: 4 })).toMatchObject({
        type: 'postgres',
        url: 'postgresql://app@db:5432/pay',
        schema: 'aegis',
        poolSize: 4,
      });
    });
  });

  describe('when an option is malformed', () => {
    it.each([
      [{ busyTimeoutMs: Number.NaN }, 'busyTimeoutMs'],
      [{ busyTimeoutMs: -5 }, 'busyTimeoutMs'],
      [{ busyTimeoutMs: 1.5 }, 'busyTimeoutMs'],
      [{ synchronous: 'OFF' as never }, 'synchronous'],
    ])('should refuse %p for SQLite with a ValidationError naming %s', (options, field) => {
      expect(() => aegisPayDataSourceOptions({ url: 'sqlite::memory:', ...options })).toThrow(
        expect.objectContaining({ code: 'PERSISTENCE.INVALID_OPTION', field }) as Error,
      );
    });

    it.each([0, Number.NaN, 2.5])('should refuse poolSize %p for PostgreSQL', (poolSize) => {
      expect(() => aegisPayDataSourceOptions({ url: 'postgres://u@h/db', poolSize })).toThrow(
        expect.objectContaining({ code: 'PERSISTENCE.INVALID_OPTION', field: 'poolSize' }) as Error,
      );
    });

    it('should accept a busy timeout of 0 (fail at once on a locked database)', async () => {
      const dataSource = await createDataSource({ url: 'sqlite::memory:', busyTimeoutMs: 0 });
      try {
        expect(await dataSource.query('PRAGMA busy_timeout')).toEqual([{ timeout: 0 }]);
      } finally {
        await dataSource.destroy();
      }
    });
  });

  describe('when the URL is not supported', () => {
    it('should throw UnsupportedDatabaseError without echoing credentials', () => {
      const attempt = (): unknown => aegisPayDataSourceOptions({ url: 'mysql://root:secret@db/pay' });

      expect(attempt).toThrow(UnsupportedDatabaseError);
      expect(attempt).toThrow(/mysql:\/\/\*\*\*@db\/pay/);
      expect(attempt).not.toThrow(/secret/);
    });
  });

  describe('when the SQLite file is not a database', () => {
    it('should throw one DatabaseUnavailableError naming the file and the reason', async () => {
      const file = join(directory, 'not-a-database.sqlite');
      writeFileSync(file, 'this is a text file, not an SQLite database '.repeat(4));

      const error = await createDataSource({ url: `sqlite:${file}` }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as DatabaseUnavailableError).code).toBe('PERSISTENCE.DATABASE_UNAVAILABLE');
      expect((error as DatabaseUnavailableError).message).toContain(`sqlite:${file}: file is not a database`);
    });
  });

  describeWithPostgres('when the PostgreSQL database does not exist', () => {
    it('should throw one DatabaseUnavailableError naming the database (credentials masked), the reason and what to check', async () => {
      const url = new URL(postgresTestUrl() as string);
      url.password = 'secret';
      url.pathname = `/aegispay_missing_${randomBytes(4).toString('hex')}`;

      const error = await createDataSource({ url: url.toString() }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      const { message, cause } = error as DatabaseUnavailableError;
      expect(message).toContain(`database "${url.pathname.slice(1)}" does not exist`);
      expect(message).toContain('//***@');
      expect(message).toMatch(/Check the URL/);
      expect(message).not.toContain('secret');
      expect(cause).toMatchObject({ code: '3D000' });
    });
  });
});
