import { CryptoRandom, type Random } from '@aegispay/domain';
import { formatOptions, parseCliArgs, type CliOption } from '../../cli/cli-args';
import type { CliCommand, CliIo } from '../../cli/cli-command';
import { CONFIG_OPTION, DATABASE_URL_OPTION, describeDatabase, loadCliConfig } from '../../cli/cli-config';
import { EXIT } from '../../cli/cli-dispatcher';
import { UsageError } from '../../cli/cli.errors';
import { ExperimentFileError, readExperimentFile } from './experiment-file';
import { runExperimentFile } from './experiment-run';

const OPTIONS: readonly CliOption[] = [DATABASE_URL_OPTION, CONFIG_OPTION];

/** Options of {@link createChaosCommand}. */
export interface ChaosCommandOptions {
  /** Draws the seed of a file without one, and the run's idempotency-key prefix. Defaults to `CryptoRandom`. */
  readonly random?: Random;
}

/** `aegispay chaos <experiment.json>`: a chaos experiment from a file, through the real orchestrator. */
export const chaosCommand: CliCommand = createChaosCommand();

/** Builds the `aegispay chaos` command. */
export function createChaosCommand(options: ChaosCommandOptions = {}): CliCommand {
  const random = options.random ?? new CryptoRandom();
  return {
    name: 'chaos',
    summary: 'Run a chaos experiment described in a JSON file (exit 0 if it passes, 1 if not).',
    help: [
      'Usage: aegispay chaos <experiment.json> [options]',
      '',
      'Runs the experiment through the real orchestrator (persistence as configured: SQLite by default,',
      'AEGISPAY_PERSISTENCE=memory for none) with every simulated gateway wrapped in chaos, on virtual time,',
      'prints the report, and exits 0 when the steady-state hypothesis holds, 1 when it does not.',
      'Nobody charged twice and every answer agreeing with the gateway ledgers are always checked.',
      '',
      'The file (see apps/aegispay/experiments/gateway-resilience.json and the README):',
      '  name, description?, seed?, payments? and/or durationMs?, concurrency? (1), intervalMs?,',
      '  gateways? (the configured ones), chaos (a ChaosConfig), cascade? (ChaosScope options),',
      '  success? ("ANSWERED": approved or declined by an issuer; or "APPROVED"),',
      '  expectedSuccessRate?, maxAverageLatencyMs?, maxCircuitBreakerOpens?, abortCondition?',
      '',
      'Options:',
      formatOptions(OPTIONS),
      '',
    ].join('\n'),
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const parsed = parseCliArgs('chaos', args, OPTIONS, 1);
      const file = parsed.positionals[0];
      if (file === undefined) throw new UsageError('Name the experiment file: aegispay chaos <experiment.json>.', 'chaos');
      const config = loadCliConfig(io, parsed);
      let experiment;
      try {
        experiment = readExperimentFile(file);
      } catch (error) {
        if (!ExperimentFileError.is(error)) throw error;
        io.stderr.write(`aegispay chaos: ${error.message}\n`);
        return EXIT.USAGE;
      }
      const seed = experiment.seed ?? Math.floor(random.next() * 2 ** 31);
      io.stdout.write(
        `Running "${experiment.name}" on ${config.persistence === 'memory' ? 'in-memory persistence' : describeDatabase(config.databaseUrl)}, seed ${seed}` +
          `${experiment.seed === undefined ? ' (drawn: add "seed": ' + seed + ' to the file to replay it)' : ''}…\n`,
      );
      const started = performance.now();
      const outcome = await runExperimentFile({ experiment, config, seed, random });
      const { result, invariants } = outcome;
      io.stdout.write(`${outcome.report}\n`);
      io.stdout.write(
        `Invariants: ${invariants.doubleCharges.length} payments charged twice, ${invariants.disagreements.length} answers disagreeing with the ledgers` +
          `${[...invariants.doubleCharges, ...invariants.disagreements].slice(0, 3).map((line) => `\n  - ${line}`).join('')}\n`,
      );
      io.stdout.write(`${(result.durationMs / 1000).toFixed(1)} s of virtual time in ${((performance.now() - started) / 1000).toFixed(1)} s. ${result.success ? 'PASSED' : 'FAILED'}\n`);
      return result.success ? EXIT.OK : EXIT.FAILURE;
    },
  };
}
