import { formatOptions, numberOption, parseCliArgs, stringOption, type CliOption } from '../cli/cli-args';
import type { CliCommand, CliIo } from '../cli/cli-command';
import { CONFIG_OPTION, DATABASE_URL_OPTION, loadCliConfig } from '../cli/cli-config';
import { EXIT } from '../cli/cli-dispatcher';
import { UsageError } from '../cli/cli.errors';
import type { AppConfig } from '../config/app-config';
import { runDemo } from './demo';
import { formatDemoReport } from './demo-text-report';
import { createProgressDisplay } from './progress-display';
import { runStubsDemo } from './stubs/stubs-demo';
import { formatStubsDemoReport } from './stubs/stubs-report';

/** Defaults of `aegispay demo`. */
export const DEMO_DEFAULTS = Object.freeze({ payments: 2_000, concurrency: 32, ratePerSecond: 10, seed: 42, reportDir: './reports' });

/** Defaults of `aegispay demo --through-stubs` (real time: fewer payments, fewer in flight). */
export const STUBS_DEMO_DEFAULTS = Object.freeze({ payments: 200, concurrency: 8 });

const OPTIONS: readonly CliOption[] = [
  { name: 'through-stubs', value: null, description: 'run through the Stripe and Adyen stubs, started as processes (see below)' },
  { name: 'payments', value: '<n>', description: 'payments in the stream (1–1 000 000)', defaultValue: `${DEMO_DEFAULTS.payments}; ${STUBS_DEMO_DEFAULTS.payments} through the stubs` },
  { name: 'concurrency', value: '<n>', description: 'most payments in flight at once (1–10 000)', defaultValue: `${DEMO_DEFAULTS.concurrency}; ${STUBS_DEMO_DEFAULTS.concurrency} through the stubs` },
  { name: 'rate', value: '<n>', description: 'arrivals per second of virtual time (0.1–100 000)', defaultValue: String(DEMO_DEFAULTS.ratePerSecond) },
  { name: 'seed', value: '<n>', description: 'seed of the traffic, gateways, routing and chaos (0–2147483647)', defaultValue: `AEGISPAY_SEED, else ${DEMO_DEFAULTS.seed}` },
  { name: 'report', value: '<dir>', description: 'directory of the HTML report', defaultValue: DEMO_DEFAULTS.reportDir },
  DATABASE_URL_OPTION,
  CONFIG_OPTION,
];

/** `aegispay demo`: the orchestrator under an outage and chaos, against a single gateway, with its invariants checked. */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Run payments through an outage and chaos, compare with a single gateway, check the invariants.',
  help: [
    'Usage: aegispay demo [options]',
    '',
    'Migrates the database, then sends a seeded stream of payments (Poisson arrivals, three merchants,',
    'EUR/USD/GBP) through the orchestrator across the simulated gateways on virtual time. Part-way through,',
    'the gateway routing prefers is taken down (20 %–45 % of the stream) and chaos is injected into every',
    'gateway (65 %–85 %). The same stream is then replayed through that gateway alone, with the same outage',
    'and chaos, as a baseline. Prints a report (per-gateway table, breaker transitions, routing share over',
    'time, success against the baseline, invariants) and writes it as an HTML page with charts.',
    '',
    'Exit code 0 when every invariant holds (no double charge, nothing left in PROCESSING, statuses agree',
    'with the gateway ledgers, outbox complete), 1 when one is broken, 2 for bad options or configuration.',
    '',
    'With --through-stubs: starts the Stripe and Adyen stubs as processes on durable ledgers in a',
    'temporary directory, composes the app with STRIPE_PSP and ADYEN_PSP on them beside the simulated',
    'PAYPAL and SQUARE, and sends the stream on real time (cards stored at Stripe or at Adyen, wallets)',
    'while the stubs lose answers and Adyen goes down; lets recovery settle what is left, compares the',
    "stubs' ledgers with the database, and stops the stubs. --rate and --report do not apply.",
    '',
    'Options:',
    formatOptions(OPTIONS),
    '',
  ].join('\n'),
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCliArgs('demo', args, OPTIONS);
    const throughStubs = parsed.options.get('through-stubs') === true;
    const defaults = throughStubs ? STUBS_DEMO_DEFAULTS : DEMO_DEFAULTS;
    const payments = numberOption('demo', parsed, 'payments', { min: 1, max: 1_000_000 }, defaults.payments);
    const concurrency = numberOption('demo', parsed, 'concurrency', { min: 1, max: 10_000 }, defaults.concurrency);
    if (throughStubs) {
      const ignored = ['rate', 'report'].filter((name) => parsed.options.has(name));
      if (ignored.length > 0) throw new UsageError(`${ignored.map((name) => `--${name}`).join(' and ')} do not apply to --through-stubs (real time, a text report).`, 'demo');
    }
    const ratePerSecond = numberOption('demo', parsed, 'rate', { min: 0.1, max: 100_000, integer: false }, DEMO_DEFAULTS.ratePerSecond);
    const seedFlag = numberOption('demo', parsed, 'seed', { min: 0, max: 2 ** 31 - 1 }, -1);
    const config = loadCliConfig(io, parsed);
    const seed = seedFlag >= 0 ? seedFlag : (config.seed ?? DEMO_DEFAULTS.seed);
    const reportDir = stringOption(parsed, 'report') ?? DEMO_DEFAULTS.reportDir;
    if (throughStubs) return runThroughStubs(io, config, { payments, concurrency, seed });

    let progress: ReturnType<typeof createProgressDisplay> | undefined;
    try {
      const outcome = await runDemo({
        config,
        payments,
        concurrency,
        ratePerSecond,
        seed,
        reportDir,
        onStage: (stage, text) => {
          progress?.stop();
          io.stdout.write(`${text}\n`);
          if (stage === 'traffic') progress = createProgressDisplay(io, payments);
        },
        onProgress: (update) => progress?.update(update),
      });
      progress?.stop();
      io.stdout.write(`\n${formatDemoReport(outcome.report, outcome.htmlPath)}`);
      if (!outcome.passed) io.stderr.write('aegispay demo: an invariant is broken (see "Invariants" above).\n');
      return outcome.passed ? EXIT.OK : EXIT.FAILURE;
    } finally {
      progress?.stop();
    }
  },
};

/** `aegispay demo --through-stubs`. */
async function runThroughStubs(io: CliIo, config: AppConfig, options: { readonly payments: number; readonly concurrency: number; readonly seed: number }): Promise<number> {
  let shownTenth = 0;
  const outcome = await runStubsDemo({
    config,
    ...options,
    onStage: (text) => io.stdout.write(`${text}\n`),
    onProgress: (done, total, phase) => {
      const tenth = Math.floor((done * 10) / total);
      if (tenth === shownTenth) return;
      shownTenth = tenth;
      io.stdout.write(`  ${done}/${total} payments · ${phase}\n`);
    },
  });
  io.stdout.write(`\n${formatStubsDemoReport(outcome.report)}`);
  if (!outcome.passed) io.stderr.write('aegispay demo --through-stubs: an invariant is broken (see "Ledgers against the database" above).\n');
  return outcome.passed ? EXIT.OK : EXIT.FAILURE;
}
