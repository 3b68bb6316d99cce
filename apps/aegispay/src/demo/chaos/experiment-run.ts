import { ChaosGateway, ChaosOrchestrator, formatReport, type ChaosExperiment, type ChaosExperimentResult } from '@aegispay/chaos';
import { CryptoRandom, VirtualClock, type Random } from '@aegispay/domain';
import { findDoubleCharges, type LedgerEntry } from '@aegispay/gateways';
import type { PaymentResult } from '@aegispay/orchestrator';
import { ConfigurationError, type AppConfig } from '../../config/app-config';
import { isSimulatedAcquirer } from '../../config/gateway-names';
import { createAppContainer } from '../../composition/app-container';
import { TOKENS } from '../../composition/tokens';
import { chaosGatewaysModule } from '../chaos-gateways.module';
import { holdVirtualTimeDuringQueries } from '../virtual-time-io';
import { PaymentStream } from '../traffic/payment-stream';
import type { ExperimentFile } from './experiment-file';

/** Options of {@link runExperimentFile}. */
export interface ExperimentRunOptions {
  readonly experiment: ExperimentFile;
  /** The app configuration (persistence, database, gateways unless the file names them, recovery…). */
  readonly config: AppConfig;
  /** The seed of the run: the file's, or one drawn by the caller. */
  readonly seed: number;
  /** Virtual time at the start, epoch ms. Defaults to the wall clock. */
  readonly startAt?: number;
  /** Source of the run's idempotency-key prefix. Defaults to `CryptoRandom`. */
  readonly random?: Random;
}

/** What the experiment's invariant check found. */
export interface ExperimentInvariants {
  /** Payments with more than one approved charge across the ledgers. */
  readonly doubleCharges: readonly string[];
  /** Payments whose answer disagrees with the ledgers (paid but not charged there, or charged but answered otherwise). */
  readonly disagreements: readonly string[];
}

/** The result of a file-driven experiment. */
export interface ExperimentRunOutcome {
  readonly result: ChaosExperimentResult;
  /** `formatReport(result)`. */
  readonly report: string;
  readonly invariants: ExperimentInvariants;
  readonly seed: number;
}

/**
 * Runs an experiment file through the real app: the orchestrator over the configured persistence,
 * the simulated acquirers wrapped in chaos, `ChaosOrchestrator` starting payments of a seeded
 * stream on virtual time and judging the steady-state hypothesis. The invariants are always
 * checked: nobody charged twice across the ledgers, and every answer agrees with the ledgers
 * (`PENDING_RECOVERY` answers excepted: recovery owns them).
 */
export async function runExperimentFile(options: ExperimentRunOptions): Promise<ExperimentRunOutcome> {
  const { experiment, seed } = options;
  const clock = new VirtualClock({ autoAdvance: true, start: options.startAt ?? Date.now() });
  const chaos = { ...experiment.chaos, seed: experiment.chaos.seed ?? seed };
  // Experiments run on virtual time, on the simulated acquirers: connectors to real PSPs are left out.
  const gateways = experiment.gateways ?? options.config.gateways.filter(isSimulatedAcquirer);
  if (gateways.length === 0) throw new ConfigurationError(['AEGISPAY_GATEWAYS: a chaos experiment runs on the simulated acquirers: name at least one (or list them in the experiment\'s "gateways")']);
  const config: AppConfig = { ...options.config, seed, chaos, gateways };
  const random = options.random ?? new CryptoRandom();
  const keyPrefix = `exp-${Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(random.next() * 26))).join('')}`;
  const stream = new PaymentStream({ seed, keyPrefix });

  const app = await createAppContainer(config, { clock, modules: [chaosGatewaysModule(chaos, experiment.cascade ?? {})] });
  if (app.dataSource !== null) holdVirtualTimeDuringQueries(app.dataSource, clock);
  try {
    const orchestrator = app.get(TOKENS.PaymentOrchestrator);
    const simulated = app.get(TOKENS.SimulatedGateways);
    const gateways = app.get(TOKENS.PaymentGateways).filter((gateway): gateway is ChaosGateway => gateway instanceof ChaosGateway);
    const answers: PaymentResult[] = [];
    const invariants: { doubleCharges: string[]; disagreements: string[] } = { doubleCharges: [], disagreements: [] };
    const success = experiment.success ?? 'ANSWERED';

    const definition: ChaosExperiment<PaymentResult> = {
      name: experiment.name,
      ...(experiment.description === undefined ? {} : { description: experiment.description }),
      ...(experiment.durationMs === undefined ? {} : { duration: experiment.durationMs }),
      ...(experiment.payments === undefined ? {} : { iterations: experiment.payments }),
      ...(experiment.concurrency === undefined ? {} : { concurrency: experiment.concurrency }),
      ...(experiment.intervalMs === undefined ? {} : { intervalMs: experiment.intervalMs }),
      ...(experiment.expectedSuccessRate === undefined ? {} : { expectedSuccessRate: experiment.expectedSuccessRate }),
      ...(experiment.maxAverageLatencyMs === undefined ? {} : { maxAverageLatency: experiment.maxAverageLatencyMs }),
      ...(experiment.maxCircuitBreakerOpens === undefined ? {} : { maxCircuitBreakerOpens: experiment.maxCircuitBreakerOpens }),
      ...(experiment.abortCondition === undefined ? {} : { abortCondition: experiment.abortCondition }),
      config: chaos,
      seed,
      gateways,
      classifyResult: (result) => failureLabel(result, success),
      validateInvariants: () => {
        invariants.doubleCharges.push(...findDoubleCharges(simulated).map((finding) => finding.paymentId));
        invariants.disagreements.push(...disagreements(answers, simulated.flatMap((gateway) => gateway.getLedger())));
        return invariants.doubleCharges.length === 0 && invariants.disagreements.length === 0;
      },
    };
    app.start();
    const result = await new ChaosOrchestrator({ clock, circuitBreakers: app.get(TOKENS.CircuitBreakerManager) }).runExperiment(definition, async ({ iteration }) => {
      const answer = await orchestrator.processPayment(stream.at(iteration).request);
      answers.push(answer);
      return answer;
    });
    return { result, report: formatReport(result), invariants, seed };
  } finally {
    await app.close();
  }
}

/** `null` for a success; else the label the failure is counted under. */
function failureLabel(result: PaymentResult, success: 'ANSWERED' | 'APPROVED'): string | null {
  switch (result.outcome) {
    case 'SUCCEEDED':
      return null;
    case 'DECLINED':
      return success === 'ANSWERED' ? null : `DECLINED ${result.code}`;
    case 'PENDING_RECOVERY':
    case 'PENDING':
    case 'REQUIRES_ACTION':
    case 'IN_PROGRESS':
      return result.outcome;
    case 'FAILED':
    case 'REJECTED':
      return `${result.outcome} ${result.code}`;
  }
}

function disagreements(answers: readonly PaymentResult[], ledger: readonly LedgerEntry[]): string[] {
  const approved = new Map<string, { gateway: string; gatewayReference: string | null }[]>();
  for (const entry of ledger) {
    if (entry.outcome !== 'APPROVED') continue;
    approved.set(entry.paymentId, [...(approved.get(entry.paymentId) ?? []), { gateway: entry.gateway, gatewayReference: entry.gatewayReference }]);
  }
  const found: string[] = [];
  for (const answer of answers) {
    if (answer.outcome === 'IN_PROGRESS' || answer.outcome === 'PENDING_RECOVERY' || answer.outcome === 'PENDING' || answer.outcome === 'REQUIRES_ACTION') continue;
    const payment = answer.payment;
    const charges = approved.get(payment.id) ?? [];
    if (answer.outcome === 'SUCCEEDED') {
      const only = charges[0];
      if (charges.length !== 1 || only === undefined || only.gateway !== payment.gateway || only.gatewayReference !== payment.gatewayReference) {
        found.push(`${payment.id}: answered paid via ${payment.gateway ?? '?'}, ledgers hold ${charges.length} charge(s)`);
      }
    } else if (charges.length > 0) {
      found.push(`${payment.id}: answered ${answer.outcome}, but charged at ${charges.map((charge) => charge.gateway).join(' and ')}`);
    }
  }
  return found;
}
