import { createDataSource, migrate } from '@aegispay/typeorm';
import type { DataSource } from 'typeorm';
import { formatOptions, parseCliArgs, type CliOption } from './cli-args';
import type { CliCommand, CliIo } from './cli-command';
import { CONFIG_OPTION, DATABASE_URL_OPTION, describeDatabase, loadCliConfig } from './cli-config';
import { EXIT } from './cli-dispatcher';
import { describeConnectionFailure } from './database-connection';

const OPTIONS: readonly CliOption[] = [DATABASE_URL_OPTION, CONFIG_OPTION];

/** `aegispay migrate`: applies pending schema migrations to the configured database and says what it did. */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Apply pending database migrations (SQLite or PostgreSQL).',
  help: [
    'Usage: aegispay migrate [options]',
    '',
    'Applies the pending schema migrations to the configured database (each in its own transaction;',
    'on PostgreSQL under an advisory lock, so processes starting together migrate once) and lists them.',
    'Running it again applies nothing. The demo and the HTTP server migrate on start-up too.',
    'A database that cannot be reached (server down, unknown host, missing database, refused',
    'credentials, unusable SQLite file) is reported with the reason, and exits with 2.',
    '',
    'Options:',
    formatOptions(OPTIONS),
    '',
  ].join('\n'),
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCliArgs('migrate', args, OPTIONS);
    const config = loadCliConfig(io, parsed);
    const where = describeDatabase(config.databaseUrl);
    if (config.persistence === 'memory') {
      io.stdout.write('Persistence is in memory (AEGISPAY_PERSISTENCE=memory): there is no database to migrate.\n');
      return EXIT.OK;
    }
    let dataSource: DataSource;
    try {
      dataSource = await createDataSource({ url: config.databaseUrl });
    } catch (error) {
      const failure = describeConnectionFailure(error);
      if (failure === undefined) throw error;
      io.stderr.write(`aegispay migrate: cannot connect to ${where}: ${failure}.\nNothing was migrated. Check --database-url or AEGISPAY_DATABASE_URL (see "Configuration" in apps/aegispay/README.md).\n`);
      return EXIT.USAGE;
    }
    try {
      const applied = await migrate(dataSource);
      if (applied.length === 0) {
        io.stdout.write(`${where}: the schema is up to date, no migration to apply.\n`);
      } else {
        io.stdout.write(`${where}: applied ${applied.length} migration${applied.length === 1 ? '' : 's'}:\n${applied.map((name) => `  - ${name}\n`).join('')}`);
      }
      return EXIT.OK;
    } finally {
      await dataSource.destroy();
    }
  },
};
