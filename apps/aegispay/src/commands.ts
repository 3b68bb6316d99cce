import { serveCommand } from './cli/serve.command';
import { chaosCommand } from './demo/chaos/chaos.command';
import type { CliCommand } from './cli/cli-command';
import { demoCommand } from './demo/demo.command';
import { migrateCommand } from './cli/migrate.command';

/** Every command of the `aegispay` executable, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = Object.freeze([demoCommand, serveCommand, chaosCommand, migrateCommand]);
