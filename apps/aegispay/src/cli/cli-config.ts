import { loadConfig, redactUrlPassword, type AppConfig, type LoadConfigOptions } from '../config/app-config';
import { stringOption, type CliOption, type ParsedArgs } from './cli-args';
import type { CliIo } from './cli-command';

/** `--config <file>`: every command reads the same configuration. */
export const CONFIG_OPTION: CliOption = {
  name: 'config',
  value: '<file>',
  description: 'JSON configuration file (same keys as the configuration table of the README; as AEGISPAY_CONFIG_FILE)',
};

/** `--database-url <url>`: the database a command works on. */
export const DATABASE_URL_OPTION: CliOption = {
  name: 'database-url',
  value: '<url>',
  description: 'sqlite:<file> or postgres://user@host:5432/db (as AEGISPAY_DATABASE_URL)',
  defaultValue: 'sqlite:./data/aegispay.sqlite',
};

/**
 * The app configuration for a command: defaults, then `--config` (or `AEGISPAY_CONFIG_FILE`), then
 * the environment, then the command's flags (`--database-url` and `overrides`).
 *
 * @throws ConfigurationError listing every bad value.
 */
export function loadCliConfig(io: CliIo, parsed: ParsedArgs, overrides: NonNullable<LoadConfigOptions['overrides']> = {}): AppConfig {
  const file = stringOption(parsed, 'config');
  const databaseUrl = stringOption(parsed, 'database-url');
  return loadConfig({
    env: io.env,
    ...(file === undefined ? {} : { file }),
    overrides: { ...(databaseUrl === undefined ? {} : { databaseUrl }), ...overrides },
  });
}

/** A database URL fit to print: the password of a PostgreSQL URL is masked. */
export function describeDatabase(url: string): string {
  return redactUrlPassword(url);
}
