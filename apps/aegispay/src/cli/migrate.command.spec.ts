import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AEGISPAY_MIGRATIONS, createDataSource } from '@aegispay/typeorm';
import { announcePostgresSkip, postgresTestUrl } from '@aegispay/typeorm/testing';
import { bufferIo } from './__fixtures__/buffer-io';
import { describeDatabase } from './cli-config';
import { runCli } from './cli-dispatcher';
import { migrateCommand } from './migrate.command';

/** A local port nothing listens on: one the system just handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const pgUrl = postgresTestUrl();
if (pgUrl === undefined) announcePostgresSkip('migrate against a missing database');

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
        const names = AEGISPAY_MIGRATIONS.map((Migration) => new Migration().name);
        expect(names.slice(0, 4)).toEqual(['InitialSchema1767225600000', 'AttemptsBeforeSending1767830400000', 'PaymentListingIndexes1768435200000', 'PublishedOutboxIndex1768521600000']);
        expect(io.out()).toBe(`${url}: applied ${names.length} migrations:\n${names.map((name) => `  - ${name}\n`).join('')}`);
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

    describe('when the database cannot be reached', () => {
      async function migrateAt(url: string): Promise<{ code: number; err: string; out: string }> {
        const io = bufferIo();
        const code = await runCli(['migrate', '--database-url', url], io, [migrateCommand]);
        return { code, err: io.err(), out: io.out() };
      }

      it('should say that nothing listens on the PostgreSQL port, and exit with 2', async () => {
        const url = `postgres://postgres:secret@127.0.0.1:${await closedPort()}/aegispay`;

        const { code, err, out } = await migrateAt(url);

        expect(code).toBe(2);
        expect(out).toBe('');
        expect(err).toContain(`cannot connect to ${describeDatabase(url)}: nothing accepts connections at that address and port`);
        expect(err).toContain('ECONNREFUSED');
        expect(err).toContain('Nothing was migrated');
        expect(err).not.toContain('unexpected error');
        expect(err).not.toContain('secret');
      });

      it('should say that the SQLite file cannot be created where a file stands in its path, and exit with 2', async () => {
        const blocker = join(directory, 'a-file');
        writeFileSync(blocker, 'not a directory');

        const { code, err } = await migrateAt(`sqlite:${join(blocker, 'aegispay.sqlite')}`);

        expect(code).toBe(2);
        expect(err).toContain('a file stands where the SQLite file’s directory should be');
      });

      (pgUrl === undefined ? it.skip : it)('should say that the PostgreSQL database does not exist, and exit with 2', async () => {
        const url = new URL(pgUrl as string);
        url.pathname = `/aegispay_missing_${process.pid}`;

        const { code, err } = await migrateAt(url.toString());

        expect(code).toBe(2);
        expect(err).toContain('the database does not exist on that server');
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
