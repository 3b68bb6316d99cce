import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from '@aegispay/typeorm';
import { bufferIo } from './__fixtures__/buffer-io';
import { describeDatabase } from './cli-config';
import { migrateCommand } from './migrate.command';

describe('migrateCommand', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-migrate-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  describe('.run', () => {
    describe('when the database is new', () => {
      it('should apply the migrations, list them and create the tables', async () => {
        const url = `sqlite:${join(directory, 'nested', 'aegispay.sqlite')}`;
        const io = bufferIo();

        const code = await migrateCommand.run(['--database-url', url], io);

        expect(code).toBe(0);
        expect(io.out()).toBe(`${url}: applied 1 migration:\n  - InitialSchema1767225600000\n`);
        const dataSource = await createDataSource({ url });
        const tables = (await dataSource.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) as { name: string }[];
        await dataSource.destroy();
        expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['payments', 'payment_attempts', 'outbox_messages', 'idempotency_keys']));
      });
    });

    describe('when the schema is up to date', () => {
      it('should say so and apply nothing', async () => {
        const env = { AEGISPAY_DATABASE_URL: `sqlite:${join(directory, 'aegispay.sqlite')}` };
        await migrateCommand.run([], bufferIo(env));
        const io = bufferIo(env);

        const code = await migrateCommand.run([], io);

        expect(code).toBe(0);
        expect(io.out()).toBe(`${env.AEGISPAY_DATABASE_URL}: the schema is up to date, no migration to apply.\n`);
      });
    });

    describe('when persistence is in memory', () => {
      it('should say there is nothing to migrate', async () => {
        const io = bufferIo({ AEGISPAY_PERSISTENCE: 'memory' });

        expect(await migrateCommand.run([], io)).toBe(0);
        expect(io.out()).toContain('there is no database to migrate');
      });
    });
  });
});

describe(describeDatabase, () => {
  it('should mask the password of a PostgreSQL URL and leave others alone', () => {
    expect(describeDatabase('postgres://app:s3cret@db:5432/pay')).toBe('postgres://app:****@db:5432/pay');
    expect(describeDatabase('postgresql://app@db/pay')).toBe('postgresql://app@db/pay');
    expect(describeDatabase('sqlite:./data/aegispay.sqlite')).toBe('sqlite:./data/aegispay.sqlite');
  });
});
