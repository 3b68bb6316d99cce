import { bufferIo } from './__fixtures__/buffer-io';
import type { CliCommand } from './cli-command';
import { COMMANDS } from '../commands';
import { EXIT, runCli } from './cli-dispatcher';
import { UsageError } from './cli.errors';
import { loadConfig } from '../config/app-config';

function fakeCommand(name: string, run: CliCommand['run']): CliCommand {
  return { name, summary: `The ${name} command.`, help: `Usage: aegispay ${name}\n`, run };
}

describe(runCli, () => {
  describe('when asked for help', () => {
    it.each([['--help'], ['-h'], ['help']])('should list every command for %s and exit 0', async (flag) => {
      const io = bufferIo();

      const code = await runCli([flag], io, COMMANDS);

      expect(code).toBe(EXIT.OK);
      for (const name of ['demo', 'serve', 'chaos', 'migrate']) expect(io.out()).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      expect(io.out()).toContain('Runs when no command is given.');
      expect(io.err()).toBe('');
    });

    it.each([['demo'], ['chaos'], ['migrate']])("should print the %s command's own help for <command> --help", async (name) => {
      const io = bufferIo();

      const code = await runCli([name, '--help'], io, COMMANDS);

      expect(code).toBe(EXIT.OK);
      expect(io.out()).toContain(`Usage: aegispay ${name}`);
      expect(io.out()).toContain('--help');
    });

    it('should print a command\'s help for "help <command>"', async () => {
      const io = bufferIo();

      await runCli(['help', 'migrate'], io, COMMANDS);

      expect(io.out()).toContain('Usage: aegispay migrate');
    });
  });

  describe('when no command is named', () => {
    it('should run the default command with no arguments', async () => {
      const calls: (readonly string[])[] = [];
      const io = bufferIo();

      const code = await runCli([], io, [fakeCommand('demo', async (args) => (calls.push(args), 0))]);

      expect(code).toBe(0);
      expect(calls).toEqual([[]]);
    });

    it('should hand leading options to the default command', async () => {
      const calls: (readonly string[])[] = [];

      await runCli(['--payments', '10'], bufferIo(), [fakeCommand('demo', async (args) => (calls.push(args), 0))]);

      expect(calls).toEqual([['--payments', '10']]);
    });
  });

  describe('when the command is unknown', () => {
    it('should say so on stderr, list the commands and exit 2', async () => {
      const io = bufferIo();

      const code = await runCli(['deploy'], io, COMMANDS);

      expect(code).toBe(EXIT.USAGE);
      expect(io.err()).toBe('aegispay: unknown command "deploy". Commands: demo, serve, chaos, migrate. Run aegispay --help.\n');
      expect(io.out()).toBe('');
    });
  });

  describe('when an option is unknown', () => {
    it.each([['demo'], ['chaos'], ['migrate']])('should name it for %s and exit 2 without running anything', async (name) => {
      const io = bufferIo();

      const code = await runCli([name, '--frobnicate', 'x'], io, COMMANDS);

      expect(code).toBe(EXIT.USAGE);
      expect(io.err()).toContain(`aegispay ${name}: Unknown option --frobnicate for "aegispay ${name}"`);
      expect(io.err()).toContain(`Run aegispay ${name} --help`);
    });
  });

  describe('when the configuration is bad', () => {
    it.each([['demo'], ['migrate'], ['chaos']])('should print every problem for %s, exit 2 and show no stack trace', async (name) => {
      const io = bufferIo({ AEGISPAY_DATABASE_URL: 'mysql://localhost/payments', AEGISPAY_RECOVERY_INTERVAL_MS: 'often' });

      const code = await runCli([name, ...(name === 'chaos' ? ['experiments/gateway-resilience.json'] : [])], io, COMMANDS);

      expect(code).toBe(EXIT.USAGE);
      expect(io.err()).toContain('Invalid configuration:');
      expect(io.err()).toContain('AEGISPAY_DATABASE_URL: must be sqlite:<file> or postgres://');
      expect(io.err()).toContain('AEGISPAY_RECOVERY_INTERVAL_MS');
      expect(io.err()).not.toMatch(/\n\s+at /);
      expect(io.out()).toBe('');
    });

    it('should refuse a configuration file that does not exist', async () => {
      const io = bufferIo();

      const code = await runCli(['migrate', '--config', '/nonexistent/aegispay.json'], io, COMMANDS);

      expect(code).toBe(EXIT.USAGE);
      expect(io.err()).toContain('/nonexistent/aegispay.json: cannot be read (ENOENT)');
    });
  });

  describe('when a command fails', () => {
    it('should map a usage error to exit 2 with a pointer to the help', async () => {
      const io = bufferIo();

      const code = await runCli(['x'], io, [
        fakeCommand('x', async () => {
          throw new UsageError('--payments must be a whole number.', 'x');
        }),
      ]);

      expect(code).toBe(EXIT.USAGE);
      expect(io.err()).toBe('aegispay x: --payments must be a whole number.\nRun aegispay x --help for the options.\n');
    });

    it('should map a configuration error thrown by the command to exit 2', async () => {
      const io = bufferIo();

      const code = await runCli(['x'], io, [fakeCommand('x', async () => loadConfig({ env: { AEGISPAY_PORT: 'eighty' } }) && 0)]);

      expect(code).toBe(EXIT.USAGE);
      expect(io.err()).toContain('AEGISPAY_PORT: must be an integer between 0 and 65535');
    });

    it('should report any other error with exit 1, hiding the stack unless debugging', async () => {
      const failing = fakeCommand('x', async () => {
        throw new Error('disk full');
      });
      const quiet = bufferIo();
      const debug = bufferIo({ AEGISPAY_LOG_LEVEL: 'debug' });

      expect(await runCli(['x'], quiet, [failing])).toBe(EXIT.FAILURE);
      expect(await runCli(['x'], debug, [failing])).toBe(EXIT.FAILURE);

      expect(quiet.err()).toBe('aegispay x: unexpected error: disk full\nSet AEGISPAY_LOG_LEVEL=debug to see the stack trace.\n');
      expect(debug.err()).toMatch(/disk full\nError: disk full\n\s+at /);
    });
  });
});
