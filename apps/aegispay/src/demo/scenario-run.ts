import { ChaosGateway, sumStats, type ChaosTotals } from '@aegispay/chaos';
import type { DomainEvent, PaymentSnapshot, VirtualClock } from '@aegispay/domain';
import { findDoubleCharges, type DoubleCharge, type LedgerEntry, type SimulatedGateway } from '@aegispay/gateways';
import type { PaymentResult, RecoveryReport } from '@aegispay/orchestrator';
import type { CircuitBreakerHealth, StateChangeEvent } from '@aegispay/resilience';
import type { AppContainer } from '../composition/app-container';
import { TOKENS } from '../composition/tokens';
import type { PaymentStream } from './traffic/payment-stream';
import { windowIndices, type DemoScenario } from './demo-scenario';

/** One payment of a run: when it arrived and finished (virtual ms from the start), what the orchestrator answered, and how it is stored at the end. */
export interface PaymentRecord {
  readonly index: number;
  readonly arrivalMs: number;
  readonly startedMs: number;
  readonly finishedMs: number;
  /** The orchestrator's answer; `null` when it threw (`error` says what). */
  readonly result: PaymentResult | null;
  readonly error: string | null;
  /** The payment as stored after the final recovery; `null` if it was never stored. */
  readonly stored: PaymentSnapshot | null;
}

/** A breaker state change, at virtual ms from the start of the run. */
export interface BreakerTransition {
  readonly atMs: number;
  readonly gateway: string;
  readonly from: StateChangeEvent['from'];
  readonly to: StateChangeEvent['to'];
  readonly reason: StateChangeEvent['reason'];
}

/** A scripted event of the scenario, at virtual ms from the start of the run. */
export interface TimelineEvent {
  readonly atMs: number;
  /** The payment at whose arrival it happened. */
  readonly index: number;
  readonly kind: 'OUTAGE_START' | 'OUTAGE_END' | 'CHAOS_START' | 'CHAOS_END';
  readonly text: string;
}

/** What the final recovery did for this run's payments (other payments of a shared database are counted apart). */
export interface FinalRecovery {
  readonly runs: number;
  readonly paid: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly unresolved: number;
  /** Payments of earlier runs on the same database that this recovery also finished. */
  readonly others: number;
  readonly doubleCharges: RecoveryReport['doubleCharges'];
  readonly errors: RecoveryReport['errors'];
}

/** Everything a run leaves to analyse and check. */
export interface ScenarioRun {
  readonly gateways: readonly string[];
  /** Virtual epoch ms of the start. */
  readonly startedAt: number;
  /** Virtual ms from the start to the last payment's answer. */
  readonly trafficMs: number;
  readonly records: readonly PaymentRecord[];
  readonly transitions: readonly BreakerTransition[];
  readonly timeline: readonly TimelineEvent[];
  /** The gateway taken down, `null` when the outage window is empty. */
  readonly outageGateway: string | null;
  readonly recovery: FinalRecovery;
  /** Every entry of every simulated gateway's ledger. */
  readonly ledger: readonly LedgerEntry[];
  readonly doubleCharges: readonly DoubleCharge[];
  /** Published event types per payment id, in publication order (the outbox relay's output). */
  readonly publishedEvents: ReadonlyMap<string, readonly string[]>;
  readonly breakerHealth: ReadonlyMap<string, CircuitBreakerHealth>;
  readonly chaos: ChaosTotals | null;
}

/** Progress of a run, after each payment's answer. */
export interface RunProgress {
  readonly done: number;
  readonly total: number;
  readonly paid: number;
  /** Virtual ms since the start. */
  readonly virtualMs: number;
  /** What is going on: `steady`, `ADYEN down`, `chaos on`… */
  readonly phase: string;
}

/** Options of {@link runScenario}. */
export interface ScenarioRunOptions {
  /** A composed app on `clock` (not started). */
  readonly app: AppContainer;
  /** The app's clock: virtual time, advancing by itself while everything waits. */
  readonly clock: VirtualClock;
  readonly stream: PaymentStream;
  readonly payments: number;
  /** Most payments in flight at once; arrivals beyond wait for a slot. */
  readonly concurrency: number;
  readonly scenario: DemoScenario;
  /** Which gateway the outage takes down: a name, or `favourite` (most first attempts so far). */
  readonly outageTarget: string;
  readonly onProgress?: (progress: RunProgress) => void;
}

/**
 * Plays `payments` of the stream through the app's orchestrator on virtual time, arrivals at their
 * stream times, with the scenario's outage and chaos windows; then finishes the way an operator
 * would (gateways back, chaos off, everything in flight settled, recovery run past its
 * `stuckAfterMs`, the outbox drained) and collects what the checks and the report need.
 */
export async function runScenario(options: ScenarioRunOptions): Promise<ScenarioRun> {
  const { app, clock, stream, payments, concurrency, scenario } = options;
  const orchestrator = app.get(TOKENS.PaymentOrchestrator);
  const simulated = app.get(TOKENS.SimulatedGateways);
  const chaosGateways = app.get(TOKENS.PaymentGateways).filter((gateway): gateway is ChaosGateway => gateway instanceof ChaosGateway);
  const breakers = app.get(TOKENS.CircuitBreakerManager);
  const startedAt = clock.now();
  const since = (): number => clock.now() - startedAt;

  const transitions: BreakerTransition[] = [];
  const stopTransitions = breakers.onStateChange((event) => {
    transitions.push({ atMs: event.at - startedAt, gateway: event.gateway, from: event.from, to: event.to, reason: event.reason });
  });
  const publishedEvents = new Map<string, string[]>();
  const stopEvents = app.get(TOKENS.EventLog).onEvent((event: DomainEvent) => {
    const list = publishedEvents.get(event.aggregateId);
    if (list === undefined) publishedEvents.set(event.aggregateId, [event.type]);
    else list.push(event.type);
  });

  const outage = windowIndices(scenario.outage, payments);
  const chaosWindow = windowIndices(scenario.chaos, payments);
  const timeline: TimelineEvent[] = [];
  const firstAttempts = new Map<string, number>();
  const state: { outageGateway: SimulatedGateway | null; outageActive: boolean; chaosOn: boolean } = { outageGateway: null, outageActive: false, chaosOn: false };
  const phase = (): string =>
    [state.outageActive && state.outageGateway !== null ? `${state.outageGateway.name} down` : null, state.chaosOn ? 'chaos on' : null].filter((part) => part !== null).join(', ') ||
    'steady';
  const endOutage = (index: number): void => {
    if (!state.outageActive || state.outageGateway === null) return;
    state.outageGateway.bringUp();
    state.outageActive = false;
    timeline.push({ atMs: since(), index, kind: 'OUTAGE_END', text: `${state.outageGateway.name} back up` });
  };
  const endChaos = (index: number): void => {
    if (!state.chaosOn) return;
    for (const gateway of chaosGateways) gateway.disable();
    state.chaosOn = false;
    timeline.push({ atMs: since(), index, kind: 'CHAOS_END', text: 'chaos switched off' });
  };
  const applyScenario = (index: number): void => {
    if (index === outage.end) endOutage(index);
    if (index === chaosWindow.end) endChaos(index);
    if (index === outage.start && outage.end > outage.start) {
      state.outageGateway = pickOutageTarget(simulated, options.outageTarget, firstAttempts);
      state.outageGateway.takeDown('FAST_FAIL');
      state.outageActive = true;
      timeline.push({ atMs: since(), index, kind: 'OUTAGE_START', text: `${state.outageGateway.name} taken down: every call answered 503` });
    }
    if (index === chaosWindow.start && chaosWindow.end > chaosWindow.start && chaosGateways.length > 0) {
      for (const gateway of chaosGateways) gateway.enable();
      state.chaosOn = true;
      timeline.push({ atMs: since(), index, kind: 'CHAOS_START', text: `chaos injected into ${chaosGateways.map((gateway) => gateway.name).join(', ')}` });
    }
  };

  const records: (Omit<PaymentRecord, 'stored'> | undefined)[] = new Array<undefined>(payments).fill(undefined);
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  let paid = 0;
  app.start();
  try {
    for (let index = 0; index < payments; index += 1) {
      const payment = stream.at(index);
      const wait = payment.arrivalMs - since();
      if (wait > 0) await clock.sleep(wait);
      applyScenario(index);
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      const startedMs = since();
      const settle = (result: PaymentResult | null, error: string | null): void => {
        records[index] = { index, arrivalMs: payment.arrivalMs, startedMs, finishedMs: since(), result, error };
        const first = result?.payment?.attempts[0]?.gateway;
        if (first !== undefined) firstAttempts.set(first, (firstAttempts.get(first) ?? 0) + 1);
        done += 1;
        if (result?.outcome === 'SUCCEEDED') paid += 1;
        options.onProgress?.({ done, total: payments, paid, virtualMs: since(), phase: phase() });
      };
      const call: Promise<void> = orchestrator.processPayment(payment.request).then(
        (result) => settle(result, null),
        (error: unknown) => settle(null, error instanceof Error ? error.message : String(error)),
      );
      const tracked = call.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
    await Promise.all(inFlight);
    const trafficMs = since();
    // The breakers as the traffic left them (reading applies transitions that fell due), before
    // the final recovery moves virtual time on by minutes.
    const breakerHealth = breakers.getAllHealth();
    stopTransitions();
    // Close the windows the stream ended in, then let every call a lost answer left running settle.
    endOutage(payments);
    endChaos(payments);
    await Promise.all(chaosGateways.map((gateway) => gateway.whenIdle()));

    const recovery = await finish(app, clock, records);
    const stored = await Promise.all(
      records.map(async (record, index) => {
        const request = stream.at(index).request;
        const payment = await app.get(TOKENS.PaymentRepository).findByIdempotencyKey(request.merchantId, request.idempotencyKey as string);
        return { ...(record as Omit<PaymentRecord, 'stored'>), stored: payment?.toSnapshot() ?? null };
      }),
    );
    return {
      gateways: simulated.map((gateway) => gateway.name),
      startedAt,
      trafficMs,
      records: stored,
      transitions,
      timeline,
      outageGateway: state.outageGateway?.name ?? null,
      recovery,
      ledger: simulated.flatMap((gateway) => gateway.getLedger()),
      doubleCharges: findDoubleCharges(simulated, { includePending: true }),
      publishedEvents,
      breakerHealth,
      chaos: chaosGateways.length === 0 ? null : sumStats(chaosGateways.map((gateway) => gateway.getStats())),
    };
  } finally {
    stopTransitions();
    stopEvents();
  }
}

function pickOutageTarget(gateways: readonly SimulatedGateway[], target: string, firstAttempts: ReadonlyMap<string, number>): SimulatedGateway {
  if (target !== 'favourite') {
    const named = gateways.find((gateway) => gateway.name === target);
    if (named === undefined) throw new RangeError(`The outage target ${target} is not one of the run's gateways (${gateways.map((gateway) => gateway.name).join(', ')}).`);
    return named;
  }
  // The favourite: the gateway routing chose first most often so far (ties: the first listed).
  let best = gateways[0] as SimulatedGateway;
  for (const gateway of gateways) if ((firstAttempts.get(gateway.name) ?? 0) > (firstAttempts.get(best.name) ?? 0)) best = gateway;
  return best;
}

/**
 * Stops the loops, moves virtual time past `stuckAfterMs` and runs recovery until nothing is left
 * to examine (payments whose answer was lost are resolved from the gateways' ledgers), then
 * drains the outbox.
 */
async function finish(app: AppContainer, clock: VirtualClock, records: readonly (Omit<PaymentRecord, 'stored'> | undefined)[]): Promise<FinalRecovery> {
  const recovery = app.get(TOKENS.PaymentRecovery);
  const relay = app.get(TOKENS.OutboxRelay);
  await recovery.stop();
  await relay.stop();
  await clock.advance(app.config.recovery.stuckAfterMs + 1);

  const ours = new Set(records.map((record) => record?.result?.paymentId).filter((id): id is string => typeof id === 'string'));
  const totals = { runs: 0, paid: 0, failed: 0, cancelled: 0, unresolved: 0, others: 0, doubleCharges: [] as RecoveryReport['doubleCharges'][number][], errors: [] as RecoveryReport['errors'][number][] };
  for (let run = 0; run < 50; run += 1) {
    const report = await recovery.recoverOnce();
    totals.runs += 1;
    for (const [key, ids] of [['paid', report.paid], ['failed', report.failed], ['cancelled', report.cancelled]] as const) {
      for (const id of ids) {
        if (ours.has(id)) totals[key] += 1;
        else totals.others += 1;
      }
    }
    totals.doubleCharges.push(...report.doubleCharges);
    totals.errors.push(...report.errors);
    const resolved = report.paid.length + report.failed.length + report.cancelled.length;
    if (resolved === 0) {
      totals.unresolved = report.unresolved.filter((id) => ours.has(id)).length;
      break;
    }
  }
  await relay.drain();
  return totals;
}
