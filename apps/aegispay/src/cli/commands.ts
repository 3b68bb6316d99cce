import { serveCommand } from '../http/serve.command';
import { chaosCommand } from './chaos.command';
import type { CliCommand } from './cli-command';
import { demoCommand } from './demo.command';
import { migrateCommand } from './migrate.command';

/** Every command of the `aegispay` executable, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = Object.freeze([demoCommand, serveCommand, chaosCommand, migrateCommand]);
