import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ChaosConfig } from '@aegispay/chaos';
import { CryptoRandom, VirtualClock, type Random } from '@aegispay/domain';
import { migrate } from '@aegispay/typeorm';
import { SIMULATED_ACQUIRERS } from '@aegispay/gateways';
import { ConfigurationError, type AppConfig } from '../config/app-config';
import { isSimulatedAcquirer } from '../config/gateway-names';
import { chaosConfigProblems, formatChaosProblem } from '../config/chaos-settings';
import { createAppContainer } from '../composition/app-container';
import { describeDatabase } from '../cli/cli-config';
import { PaymentStream } from './traffic/payment-stream';
import { comparePhases, gatewayRows, summarizeRun, timeSlices } from './demo-analysis';
import { chaosGatewaysModule } from './chaos-gateways.module';
import { holdVirtualTimeDuringQueries } from './virtual-time-io';
import { renderHtmlReport } from './demo-html-report';
import { DEFAULT_DEMO_CHAOS, DEFAULT_DEMO_SCENARIO, DEMO_CASCADE, type DemoScenario } from './demo-scenario';
import { checkRun } from './run-checks';
import type { DemoReport } from './demo-report';
import { runScenario, type RunProgress, type ScenarioRun } from './scenario-run';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** The app configuration: database, gateways, recovery settings; `chaos`, when set, is what the chaos window injects. */
  readonly config: AppConfig;
  /** Payments in the stream. The command's default is 2 000. */
  readonly payments: number;
  /** Most payments in flight at once. The command's default is 32. */
  readonly concurrency: number;
  /** Seeds the traffic, the gateways, routing and chaos: the same seed replays the same run. */
  readonly seed: number;
  /** Mean arrival rate, payments per second of virtual time. The command's default is 10. */
  readonly ratePerSecond: number;
  /** Directory of the HTML report (created when missing). */
  readonly reportDir: string;
  /** Outage and chaos windows. Defaults to {@link DEFAULT_DEMO_SCENARIO} (chaos from `config.chaos` when set). */
  readonly scenario?: DemoScenario;
  /** Virtual time at the start, epoch ms. Defaults to the wall clock, so stored timestamps read naturally. */
  readonly startAt?: number;
  /** Called after every answer of the main run. */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Called when the demo moves to its next stage, with a line a person can read. */
  readonly onStage?: (stage: DemoStage, text: string) => void;
  /** Where the idempotency-key prefix of the run comes from. Defaults to `CryptoRandom`. */
  readonly random?: Random;
}

/** The demo's stages: composing the app, the traffic of the main run, the single-gateway replay. */
export type DemoStage = 'compose' | 'traffic' | 'baseline';

/** The demo's result: its report, where the HTML went, and whether every invariant held. */
export interface DemoOutcome {
  readonly report: DemoReport;
  readonly htmlPath: string;
  readonly passed: boolean;
}

/**
 * The demo: a seeded stream of payments through the orchestrator on virtual time, with the routing
 * favourite taken down and chaos injected part-way; then the same stream replayed through that
 * gateway alone (same outage, same chaos) for a fair baseline; then the invariants, the report
 * and its HTML page.
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  // First: a report directory that cannot be created should cost nothing, not the whole run.
  mkdirSync(options.reportDir, { recursive: true });
  const scenario = options.scenario ?? { ...DEFAULT_DEMO_SCENARIO, chaosConfig: chaosOf(options.config) };
  // Chaos starts switched off: the scenario's window switches it on and off.
  const chaos: ChaosConfig = { ...scenario.chaosConfig, enabled: false, seed: scenario.chaosConfig.seed ?? options.seed };
  const startAt = options.startAt ?? Date.now();
  const keyPrefix = `demo-${letters(options.random ?? new CryptoRandom(), 10)}`;
  const stream = new PaymentStream({ seed: options.seed, ratePerSecond: options.ratePerSecond, keyPrefix });
  // The demo runs on virtual time, which the simulated acquirers follow and a PSP does not: the
  // connectors run in `aegispay demo --through-stubs`.
  const simulated = options.config.gateways.filter(isSimulatedAcquirer);
  if (simulated.length === 0) {
    throw new ConfigurationError([`AEGISPAY_GATEWAYS: the demo runs on the simulated acquirers (${SIMULATED_ACQUIRERS.join(', ')}): name at least one (the connectors run in aegispay demo --through-stubs)`]);
  }
  const config: AppConfig = { ...options.config, seed: options.seed, gateways: simulated };

  options.onStage?.('compose', `Composing the app on ${config.persistence === 'memory' ? 'in-memory persistence' : describeDatabase(config.databaseUrl)}…`);
  const clock = new VirtualClock({ autoAdvance: true, start: startAt });
  const app = await createAppContainer(config, { clock, migrate: false, modules: [chaosGatewaysModule(chaos, DEMO_CASCADE)] });
  if (app.dataSource !== null) holdVirtualTimeDuringQueries(app.dataSource, clock);
  let mainRun: ScenarioRun;
  let migrationsApplied: readonly string[] = [];
  const mainStarted = performance.now();
  try {
    if (app.dataSource !== null) migrationsApplied = await migrate(app.dataSource);
    const schema =
      app.dataSource === null ? 'Nothing to migrate (in memory)' : migrationsApplied.length === 0 ? 'Schema up to date' : `Applied ${plural(migrationsApplied.length, 'migration')}`;
    options.onStage?.(
      'traffic',
      `${schema}. ` +
        `Sending ${options.payments} payments across ${config.gateways.join(', ')} (seed ${options.seed}, ${options.ratePerSecond}/s of virtual time, up to ${options.concurrency} in flight)…`,
    );
    mainRun = await runScenario({
      app,
      clock,
      stream,
      payments: options.payments,
      concurrency: options.concurrency,
      scenario,
      outageTarget: 'favourite',
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
  } finally {
    await app.close();
  }
  const mainMs = performance.now() - mainStarted;

  const single = mainRun.outageGateway ?? favouriteOf(mainRun);
  options.onStage?.('baseline', `Replaying the same ${options.payments} payments through ${single} alone (same outage, same chaos; in memory)…`);
  const baselineStarted = performance.now();
  const baselineClock = new VirtualClock({ autoAdvance: true, start: startAt });
  const baselineConfig: AppConfig = { ...config, persistence: 'memory', gateways: config.gateways.filter((gateway) => gateway === single) };
  const baselineApp = await createAppContainer(baselineConfig, { clock: baselineClock, modules: [chaosGatewaysModule(chaos, DEMO_CASCADE)] });
  let baselineRun: ScenarioRun;
  try {
    baselineRun = await runScenario({
      app: baselineApp,
      clock: baselineClock,
      stream,
      payments: options.payments,
      concurrency: options.concurrency,
      scenario,
      outageTarget: single,
    });
  } finally {
    await baselineApp.close();
  }
  const baselineMs = performance.now() - baselineStarted;

  const report: DemoReport = {
    seed: options.seed,
    payments: options.payments,
    concurrency: options.concurrency,
    ratePerSecond: options.ratePerSecond,
    database: config.persistence === 'memory' ? 'in memory' : describeDatabase(config.databaseUrl),
    migrationsApplied,
    scenario,
    outageGateway: mainRun.outageGateway,
    wallMs: { main: mainMs, baseline: baselineMs },
    virtualMs: mainRun.trafficMs,
    gateways: gatewayRows(mainRun),
    transitions: [...mainRun.transitions].sort((a, b) => a.atMs - b.atMs),
    timeline: mainRun.timeline,
    slices: timeSlices(mainRun, baselineRun, scenario, Math.min(20, Math.max(5, Math.floor(options.payments / 50)))),
    main: summarizeRun(mainRun),
    baseline: { ...summarizeRun(baselineRun), gateway: single },
    phases: comparePhases(mainRun, baselineRun, scenario),
    recovery: mainRun.recovery,
    chaos: mainRun.chaos,
    invariants: checkRun(mainRun),
    baselineInvariants: checkRun(baselineRun),
  };
  const htmlPath = resolve(join(options.reportDir, `aegispay-demo-${stamp(startAt)}-seed${options.seed}.html`));
  writeFileSync(htmlPath, renderHtmlReport(report));
  const passed = report.invariants.every((check) => check.passed) && report.baselineInvariants.every((check) => check.passed);
  return { report, htmlPath, passed };
}

/**
 * The chaos of the chaos window: the configured `chaos` (AEGISPAY_CHAOS) when set, else the demo's.
 *
 * @throws ConfigurationError when the configured chaos is not a valid `ChaosConfig`.
 */
export function chaosOf(config: AppConfig): ChaosConfig {
  if (config.chaos === null) return DEFAULT_DEMO_CHAOS;
  // loadConfig checked it already; a configuration built by hand is checked the same way.
  const problems = chaosConfigProblems(config.chaos);
  if (problems.length > 0) throw new ConfigurationError(problems.map((problem) => `AEGISPAY_CHAOS: ${formatChaosProblem(problem)}`));
  return config.chaos as ChaosConfig;
}

/** The gateway routing chose first most often. */
function favouriteOf(run: ScenarioRun): string {
  const counts = new Map<string, number>();
  for (const record of run.records) {
    const first = record.stored?.attempts[0]?.gateway;
    if (first !== undefined) counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  let best = run.gateways[0] as string;
  for (const gateway of run.gateways) if ((counts.get(gateway) ?? 0) > (counts.get(best) ?? 0)) best = gateway;
  return best;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function letters(random: Random, count: number): string {
  return Array.from({ length: count }, () => String.fromCharCode(97 + Math.floor(random.next() * 26))).join('');
}

/** `20260314-093012` in UTC. */
function stamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
