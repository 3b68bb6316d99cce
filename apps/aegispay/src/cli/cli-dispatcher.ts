import { AegisPayError } from '@aegispay/domain';
import { ConfigurationError } from '../config/app-config';
import { wantsHelp } from './cli-args';
import type { CliCommand, CliIo } from './cli-command';
import { UsageError } from './cli.errors';

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** The command run when none is named (or when the first argument is an option). Defaults to `demo`. */
  readonly defaultCommand?: string;
}

/** Exit codes of the `aegispay` executable. */
export const EXIT = Object.freeze({
  /** Done, and everything checked held. */
  OK: 0,
  /** The command ran and found a failure: a broken invariant, a failed experiment, an error. */
  FAILURE: 1,
  /** Bad usage or configuration: nothing was run. */
  USAGE: 2,
});

/**
 * Runs `aegispay <command> [args]`: dispatches to the command, answers `--help` at both levels, and
 * turns errors into messages and exit codes (usage and configuration errors → 2 with no stack
 * trace; anything else → 1). Resolves to the exit code; never rejects.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommand[], options: RunCliOptions = {}): Promise<number> {
  const defaultCommand = options.defaultCommand ?? 'demo';
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined) return runCli([rest[0], '--help'], io, commands, options);
    if (first === undefined && commands.some((command) => command.name === defaultCommand)) return runCli([defaultCommand], io, commands, options);
    io.stdout.write(usage(commands, defaultCommand));
    return EXIT.OK;
  }
  const named = first.startsWith('-') ? defaultCommand : first;
  const args = first.startsWith('-') ? argv : rest;
  const command = commands.find((candidate) => candidate.name === named);
  if (command === undefined) {
    io.stderr.write(`aegispay: unknown command "${named}". Commands: ${commands.map((candidate) => candidate.name).join(', ')}. Run aegispay --help.\n`);
    return EXIT.USAGE;
  }
  if (wantsHelp(args)) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return EXIT.OK;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    return reportError(error, command.name, io);
  }
}

function reportError(error: unknown, command: string, io: CliIo): number {
  if (UsageError.is(error)) {
    io.stderr.write(`aegispay ${command}: ${error.message}\nRun aegispay ${command} --help for the options.\n`);
    return EXIT.USAGE;
  }
  if (ConfigurationError.is(error)) {
    io.stderr.write(`aegispay ${command}: ${error.message}\nSee "Configuration" in apps/aegispay/README.md.\n`);
    return EXIT.USAGE;
  }
  const debug = io.env['AEGISPAY_LOG_LEVEL'] === 'debug' || io.env['AEGISPAY_LOG_LEVEL'] === 'trace';
  if (AegisPayError.is(error)) {
    io.stderr.write(`aegispay ${command}: ${error.message} (${error.code})\n${debug ? `${error.stack ?? ''}\n` : ''}`);
  } else {
    const text = error instanceof Error ? error.message : String(error);
    io.stderr.write(`aegispay ${command}: unexpected error: ${text}\n${debug && error instanceof Error ? `${error.stack ?? ''}\n` : 'Set AEGISPAY_LOG_LEVEL=debug to see the stack trace.\n'}`);
  }
  return EXIT.FAILURE;
}

function usage(commands: readonly CliCommand[], defaultCommand: string): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 4;
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}${command.name === defaultCommand ? ' Runs when no command is given.' : ''}`);
  return [
    'AegisPay: payment orchestration across several gateways.',
    '',
    'Usage: aegispay [command] [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run aegispay <command> --help for the options of a command.',
    'Configuration comes from AEGISPAY_* environment variables and an optional JSON file (--config, AEGISPAY_CONFIG_FILE).',
    'Exit codes: 0 done, 1 a check or experiment failed, 2 bad usage or configuration.',
    '',
  ].join('\n');
}
