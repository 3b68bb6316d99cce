import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CryptoRandom, type PaymentGateway, type PaymentSnapshot, type Random } from '@aegispay/domain';
import { ContainerModule } from 'inversify';
import { describeDatabase } from '../../cli/cli-config';
import { createAppContainer, type AppContainer } from '../../composition/app-container';
import { TOKENS } from '../../composition/tokens';
import { loadConfig, type AppConfig } from '../../config/app-config';
import type { GatewayName } from '../../config/gateway-names';
import { simulatedCharges } from '../../psp/gateway-charges';
import { compareWithLedgers, type LedgerComparison } from '../../psp/ledger-comparison';
import { startPspStubs, type PspStubs } from '../../psp/psp-stubs';
import type { InvariantCheck } from '../run-checks';
import { PaymentStream } from '../traffic/payment-stream';
import { CountingGateway, type GatewayCounts } from './counting-gateway';
import { phaseAt, STUBS_DEMO_PHASES } from './stubs-phases';
import { throughStubs, type TokenIssuer } from './stubs-traffic';

/** The gateways of the stubs demo: the two connectors, on the stubs, instead of the simulated Stripe and Adyen, and two simulated acquirers. */
export const STUBS_DEMO_GATEWAYS: readonly GatewayName[] = Object.freeze(['STRIPE_PSP', 'ADYEN_PSP', 'PAYPAL', 'SQUARE']);

/**
 * The orchestrator's deadlines in the stubs demo: short, as for PSPs on the same machine, so that
 * recovery may judge a payment stuck after 20 s (it must wait longer than the worst case these allow).
 */
export const STUBS_DEMO_TIMING = Object.freeze({
  orchestrator: Object.freeze({ gatewayTimeoutMs: 2_000, maxAttempts: 2, statusCheckTimeoutMs: 1_000, clockSkewMs: 500 }),
  recovery: Object.freeze({ intervalMs: 1_000, stuckAfterMs: 20_000 }),
});

/** Options of {@link runStubsDemo}. */
export interface StubsDemoOptions {
  /** The app configuration: its database, persistence and log level are used; gateways, timing and the connectors' settings are the demo's. */
  readonly config: AppConfig;
  readonly payments: number;
  /** Payments in flight at once. */
  readonly concurrency: number;
  /** Seeds the traffic, routing and the stubs' faults. */
  readonly seed: number;
  /** Where the stubs keep their ledgers. Defaults to a new temporary directory, removed at the end. */
  readonly directory?: string;
  readonly onStage?: (text: string) => void;
  /** Called after every answer. */
  readonly onProgress?: (done: number, total: number, phase: string) => void;
  /** Where the idempotency-key prefix of the run comes from. Defaults to `CryptoRandom`. */
  readonly random?: Random;
}

/** What one gateway did in the run. */
export interface StubsGatewayRow {
  readonly gateway: string;
  /** Charges sent to it (fail-overs included). */
  readonly calls: number;
  /** Payments it captured. */
  readonly captured: number;
  readonly declined: number;
  /** Technical failures (nothing charged). */
  readonly errors: number;
  /** Answers lost: outcomes unknown until looked up at the gateway. */
  readonly unknown: number;
  /** Status lookups made at it (by the pipeline after a lost answer, and by recovery). */
  readonly lookups: number;
  /** Times its breaker opened. */
  readonly opened: number;
}

/** The stubs demo's report. */
export interface StubsDemoReport {
  readonly seed: number;
  readonly payments: number;
  readonly concurrency: number;
  readonly database: string;
  readonly stubs: { readonly stripe: { readonly url: string; readonly pid: number }; readonly adyen: { readonly url: string; readonly pid: number } };
  readonly wallMs: number;
  readonly issuers: Readonly<Record<TokenIssuer, number>>;
  readonly outcomes: { readonly paid: number; readonly declined: number; readonly failed: number; readonly other: number };
  readonly gateways: readonly StubsGatewayRow[];
  /** Payments recovery settled after the traffic (unknown outcomes left to it), and how long that took. */
  readonly recovery: { readonly left: number; readonly waitedMs: number };
  /** Payments the orchestrator threw on (`#<index>: message`), rather than answering. */
  readonly errors: readonly string[];
  readonly comparison: LedgerComparison;
  readonly invariants: readonly InvariantCheck[];
}

/** The report, and whether every invariant held. */
export interface StubsDemoOutcome {
  readonly report: StubsDemoReport;
  readonly passed: boolean;
}

/**
 * The demo through the PSP stubs: starts the Stripe and Adyen stubs as processes, composes the app
 * with `STRIPE_PSP` and `ADYEN_PSP` pointing at them beside two simulated acquirers, sends the
 * demo's stream on real time (cards stored at Stripe or Adyen, wallets) while the stubs lose
 * answers and Adyen goes down, lets recovery settle what is left, compares the stubs' durable
 * ledgers with the database, and stops the stubs.
 */
export async function runStubsDemo(options: StubsDemoOptions): Promise<StubsDemoOutcome> {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'aegispay-stubs-demo-'));
  const stage = options.onStage ?? (() => undefined);
  stage(`Starting the Stripe and Adyen stubs as processes (ledgers in ${directory})…`);
  let stubs: PspStubs | undefined;
  try {
    stubs = await startPspStubs({ directory });
    return await runOnStubs(stubs, options, stage);
  } finally {
    await stubs?.stop();
    if (options.directory === undefined) rmSync(directory, { recursive: true, force: true });
  }
}

async function runOnStubs(stubs: PspStubs, options: StubsDemoOptions, stage: (text: string) => void): Promise<StubsDemoOutcome> {
  const fromStubs = loadConfig({ env: stubs.settings() });
  const config: AppConfig = {
    ...options.config,
    seed: options.seed,
    chaos: null,
    gateways: STUBS_DEMO_GATEWAYS,
    stripe: fromStubs.stripe,
    adyen: fromStubs.adyen,
    orchestrator: STUBS_DEMO_TIMING.orchestrator,
    recovery: STUBS_DEMO_TIMING.recovery,
  };
  stage(`Stripe stub ${stubs.stripe.url} (pid ${stubs.stripe.pid}), Adyen stub ${stubs.adyen.url} (pid ${stubs.adyen.pid}). Composing the app on ${config.persistence === 'memory' ? 'in-memory persistence' : describeDatabase(config.databaseUrl)}…`);
  const counted = new Map<string, CountingGateway>();
  const counting = new ContainerModule(({ rebindSync }) => {
    rebindSync(TOKENS.PaymentGateways)
      .toResolvedValue(
        (simulated, connectors) => {
          const all = new Map<string, PaymentGateway>([...simulated.map((gateway) => [gateway.name, gateway] as const), ...connectors.map((connector) => [connector.name, connector.gateway] as const)]);
          for (const name of config.gateways) counted.set(name, new CountingGateway(all.get(name) as PaymentGateway));
          return Object.freeze([...counted.values()]);
        },
        [TOKENS.SimulatedGateways, TOKENS.PspConnectors],
      )
      .inSingletonScope();
  });
  const app = await createAppContainer(config, { modules: [counting] });
  const started = performance.now();
  try {
    const keyPrefix = `stubs-${letters(options.random ?? new CryptoRandom(), 10)}`;
    const stream = new PaymentStream({ seed: options.seed, keyPrefix });
    const opened = new Map<string, number>();
    const stopListening = app.get(TOKENS.CircuitBreakerManager).onStateChange((event) => {
      if (event.to === 'OPEN') opened.set(event.gateway, (opened.get(event.gateway) ?? 0) + 1);
    });
    stage(`Sending ${options.payments} payments across ${config.gateways.join(', ')} (seed ${options.seed}, up to ${options.concurrency} in flight)…`);
    const errors: string[] = [];
    const issuers = await sendTraffic(app, stubs, stream, options, errors);
    stopListening();
    await Promise.all([stubs.stripe.control.clearFaults(), stubs.adyen.control.clearFaults()]);

    const requests = stream.take(options.payments).map((payment) => payment.request);
    const recovery = await settle(app, requests, stage);
    const stored = await storedPayments(app, requests);
    const charges = [...(await stubs.charges()), ...simulatedCharges(app.get(TOKENS.SimulatedGateways).flatMap((gateway) => gateway.getLedger()))];
    const present = stored.filter((payment): payment is PaymentSnapshot => payment !== null);
    const comparison = compareWithLedgers(present, charges);
    const report: StubsDemoReport = {
      seed: options.seed,
      payments: options.payments,
      concurrency: options.concurrency,
      database: config.persistence === 'memory' ? 'in memory' : describeDatabase(config.databaseUrl),
      stubs: { stripe: { url: stubs.stripe.url, pid: stubs.stripe.pid }, adyen: { url: stubs.adyen.url, pid: stubs.adyen.pid } },
      wallMs: performance.now() - started,
      issuers,
      outcomes: outcomesOf(present),
      gateways: config.gateways.map((gateway) => gatewayRow(gateway, counted.get(gateway)?.counts, present, opened.get(gateway) ?? 0)),
      recovery,
      errors,
      comparison,
      invariants: invariantsOf(stored.length - present.length, comparison),
    };
    return { report, passed: report.invariants.every((check) => check.passed) };
  } finally {
    await app.close();
  }
}

/** Sends the stream with `concurrency` payments in flight, switching the stubs' faults at each phase. */
async function sendTraffic(app: AppContainer, stubs: PspStubs, stream: PaymentStream, options: StubsDemoOptions, errors: string[]): Promise<Record<TokenIssuer, number>> {
  const orchestrator = app.get(TOKENS.PaymentOrchestrator);
  const issuers: Record<TokenIssuer, number> = { STRIPE: 0, ADYEN: 0, WALLET: 0 };
  let phase = -1;
  let switching: Promise<void> = Promise.resolve();
  let next = 0;
  let done = 0;
  app.start();
  const worker = async (): Promise<void> => {
    for (let index = next++; index < options.payments; index = next++) {
      const due = phaseAt(index, options.payments);
      if (due > phase) {
        phase = due;
        switching = switching.then(() => (STUBS_DEMO_PHASES[due] as (typeof STUBS_DEMO_PHASES)[number]).apply(stubs, options.seed));
      }
      await switching;
      const { request, issuer } = throughStubs(stream.at(index));
      issuers[issuer] += 1;
      // A payment the orchestrator could not carry out is looked for in the database afterwards all the same.
      await orchestrator.processPayment(request).catch((error: unknown) => void errors.push(`#${index}: ${error instanceof Error ? error.message : String(error)}`));
      done += 1;
      options.onProgress?.(done, options.payments, STUBS_DEMO_PHASES[phase]?.name ?? '');
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.payments) }, worker));
  return issuers;
}

/** Waits for recovery (its loop runs every second) to settle the payments whose outcome was left unknown, up to `stuckAfterMs` + 30 s. */
async function settle(app: AppContainer, requests: readonly { merchantId: string; idempotencyKey?: string }[], stage: (text: string) => void): Promise<{ left: number; waitedMs: number }> {
  const clock = app.get(TOKENS.Clock);
  const since = clock.now();
  const unfinished = async (): Promise<number> => (await storedPayments(app, requests)).filter((payment) => payment !== null && ['PENDING', 'PROCESSING', 'REQUIRES_ACTION'].includes(payment.status)).length;
  const left = await unfinished();
  if (left === 0) return { left, waitedMs: 0 };
  const giveUpAt = since + app.config.recovery.stuckAfterMs + 30_000;
  stage(`${left} payments wait for recovery (an answer was lost and the PSP could not say yet); recovery examines them once ${app.config.recovery.stuckAfterMs / 1000} s have passed…`);
  while ((await unfinished()) > 0 && clock.now() < giveUpAt) await clock.sleep(500);
  return { left, waitedMs: clock.now() - since };
}

async function storedPayments(app: AppContainer, requests: readonly { merchantId: string; idempotencyKey?: string }[]): Promise<(PaymentSnapshot | null)[]> {
  const repository = app.get(TOKENS.PaymentRepository);
  return Promise.all(requests.map(async (request) => (await repository.findByIdempotencyKey(request.merchantId, request.idempotencyKey as string))?.toSnapshot() ?? null));
}

function outcomesOf(payments: readonly PaymentSnapshot[]): StubsDemoReport['outcomes'] {
  const count = (statuses: readonly string[]): number => payments.filter((payment) => statuses.includes(payment.status)).length;
  const paid = count(['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']);
  const declined = payments.filter((payment) => payment.status === 'FAILED' && payment.attempts.some((attempt) => attempt.outcome === 'DECLINED')).length;
  const failed = count(['FAILED']) - declined;
  return { paid, declined, failed, other: payments.length - paid - declined - failed };
}

/** A gateway's figures: what it was asked and answered, and the payments it captured. */
function gatewayRow(gateway: string, counts: GatewayCounts | undefined, payments: readonly PaymentSnapshot[], opened: number): StubsGatewayRow {
  const answered = (outcome: string): number => counts?.outcomes[outcome] ?? 0;
  return {
    gateway,
    calls: counts?.charges ?? 0,
    captured: payments.filter((payment) => payment.status === 'PAID' && payment.gateway === gateway).length,
    declined: answered('DECLINED'),
    errors: answered('TECHNICAL_FAILURE') + answered('THROWN'),
    unknown: answered('UNKNOWN'),
    lookups: counts?.lookups ?? 0,
    opened,
  };
}

/** The run's invariants, from the comparison of the database with the stubs' durable ledgers and the simulated acquirers' ledgers. */
function invariantsOf(missing: number, comparison: LedgerComparison): InvariantCheck[] {
  const check = (name: string, offenders: readonly string[], passed: string): InvariantCheck => ({
    name,
    passed: offenders.length === 0,
    detail: offenders.length === 0 ? passed : `${offenders.length}: ${offenders.slice(0, 3).join('; ')}${offenders.length > 3 ? `; … ${offenders.length - 3} more` : ''}`,
  });
  return [
    { name: 'every payment stored', passed: missing === 0, detail: missing === 0 ? `${comparison.payments} payments found by their idempotency key` : `${missing} not stored` },
    check('no double charge across the ledgers', comparison.doubleCharges, `${comparison.captured} charges hold money, at most one per payment`),
    check('nothing captured is stored as failed', comparison.capturedButFailed, 'no FAILED or CANCELLED payment has a captured charge'),
    check('every paid payment backed by its charge', [...comparison.paidWithoutCharge, ...comparison.strayCharges], 'each PAID payment has exactly one captured charge, at its gateway, with its reference; no charge without its payment'),
    check('nothing left in PROCESSING', [...comparison.unfinished, ...comparison.undecidedCharges], 'every payment final, every charge decided'),
  ];
}

function letters(random: Random, count: number): string {
  return Array.from({ length: count }, () => String.fromCharCode(97 + Math.floor(random.next() * 26))).join('');
}
