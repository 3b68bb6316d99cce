import { SystemClock, type Clock, type GatewayType } from '@aegispay/domain';
import { InvalidGatewayArgumentError, routingOptionChecks } from '../errors/routing.errors';
import {
  ApprovalEvidence,
  DEFAULT_APPROVAL_ESTIMATOR_OPTIONS,
  resolveApprovalDecay,
  type ApprovalDecay,
  type ApprovalEstimatorOptions,
} from './approval-evidence';
import type { EmptyGatewayMetrics, GatewayMetrics, ObservedGatewayMetrics, RoutingSignals } from './gateway-metrics';
import type { LatencyPercentiles } from './latency-histogram';
import { OutcomeWindow } from './outcome-window';
import { OutcomeKind, classifyOutcome, type GatewayAttemptOutcome } from './gateway-attempt-outcome';

/** Options of {@link GatewayMetricsCollector}. */
export interface GatewayMetricsCollectorOptions {
  /** Length of the rolling window, in ms: older outcomes never count. Defaults to 3 600 000 (1 hour). */
  readonly windowSize?: number;
  /**
   * Most outcomes counted per gateway: under heavy traffic the oldest bucket is dropped early so
   * that the window never holds more. Defaults to 10 000.
   */
  readonly maxEntries?: number;
  /**
   * Number of time buckets the window is divided into (memory per gateway is one latency
   * histogram, about 10 KB, per bucket). The window ages in steps of `windowSize / buckets`.
   * Defaults to 20.
   */
  readonly buckets?: number;
  /** Time source. Defaults to the system clock. */
  readonly clock?: Clock;
  /** Tuning of the recency-weighted approval estimate the routing engine learns from. */
  readonly estimator?: ApprovalEstimatorOptions;
}

/** Defaults of {@link GatewayMetricsCollectorOptions}. */
export const DEFAULT_METRICS_COLLECTOR_OPTIONS = Object.freeze({
  windowSize: 3_600_000,
  maxEntries: 10_000,
  buckets: 20,
});

// Read once, for the reason and with the measurements given in outcome-window.ts.
const APPROVED = OutcomeKind.Approved;
const HARD_DECLINE = OutcomeKind.HardDecline;
const classify = classifyOutcome;

const checks = routingOptionChecks('METRICS.INVALID_OPTION', 'GatewayMetricsCollector');

/** A routing refresh of latency percentiles waits for this share of the window to be new outcomes. */
const ROUTING_REFRESH_SHARE = 1 / 16;

/** Everything the collector keeps about one gateway. */
class GatewayState {
  readonly evidence = new ApprovalEvidence();
  metrics: GatewayMetrics | undefined;
  metricsRevision = -1;
  metricsStep = -1;
  percentiles: LatencyPercentiles | null = null;
  percentilesRevision = -1;
  percentilesLayout = -1;

  constructor(
    readonly gateway: GatewayType,
    readonly window: OutcomeWindow,
  ) {}
}

/**
 * Live metrics of every gateway: what the routing engine decides from and what people look at.
 *
 * - **Rolling window** (`windowSize`, `maxEntries`, `buckets`): success rate, approval rate,
 *   latency percentiles, costs and volume over the last `windowSize` ms. Memory is bounded by the
 *   number of buckets whatever the traffic, and no outcome older than the window counts.
 * - **Latency percentiles** come from HdrHistogram (`hdr-histogram-js`, two significant digits,
 *   10 µs units): at most 1 % relative error for latencies ≥ 1 ms, no sorting per query.
 * - **Recency-weighted approval evidence** per gateway (see {@link ApprovalEstimatorOptions}),
 *   which the routing engine samples from; reported as `recentApprovalRate`.
 *
 * All time comes from the `clock`; nothing runs in the background (windows age when read or
 * written), so there is nothing to start or stop.
 */
export class GatewayMetricsCollector {
  private readonly clock: Clock;
  private readonly windowSize: number;
  private readonly bucketCount: number;
  private readonly bucketSpan: number;
  private readonly bucketCapacity: number;
  private readonly decay: ApprovalDecay;
  private readonly gateways = new Map<GatewayType, GatewayState>();
  /** Outcomes recorded so far, all gateways together: the estimator's notion of time. */
  private step = 0;

  /** @throws RoutingConfigurationError `METRICS.INVALID_OPTION` naming the bad option. */
  constructor(options: GatewayMetricsCollectorOptions = {}) {
    const defaults = DEFAULT_METRICS_COLLECTOR_OPTIONS;
    this.windowSize = checks.number('windowSize', options.windowSize, defaults.windowSize, { above: 0 });
    const maxEntries = checks.integer('maxEntries', options.maxEntries, defaults.maxEntries, { min: 1 });
    const buckets = checks.integer('buckets', options.buckets, defaults.buckets, { min: 1, max: 1_000 });
    this.bucketCount = Math.min(buckets, maxEntries);
    this.bucketSpan = this.windowSize / this.bucketCount;
    this.bucketCapacity = Math.floor(maxEntries / this.bucketCount);
    this.clock = checks.port<Clock>('clock', options.clock, () => new SystemClock(), ['now']);
    const estimator = checks.object('estimator', options.estimator, {});
    const estimatorDefaults = DEFAULT_APPROVAL_ESTIMATOR_OPTIONS;
    this.decay = resolveApprovalDecay({
      halfLife: checks.number('estimator.halfLife', estimator.halfLife, estimatorDefaults.halfLife, { above: 0 }),
      idleAfter: checks.number('estimator.idleAfter', estimator.idleAfter, estimatorDefaults.idleAfter, { min: 0 }),
      idleHalfLife: checks.number('estimator.idleHalfLife', estimator.idleHalfLife, estimatorDefaults.idleHalfLife, { above: 0 }),
      changeDetection: checks.boolean('estimator.changeDetection', estimator.changeDetection, estimatorDefaults.changeDetection),
    });
  }

  /**
   * Records the outcome of one attempt on `gateway`. Call it after every gateway attempt,
   * failures and timeouts included (see {@link GatewayAttemptOutcome} for how to record declines).
   *
   * @throws InvalidPaymentOutcomeError when the outcome is malformed (nothing is recorded).
   * @throws InvalidGatewayArgumentError `METRICS.INVALID_GATEWAY` when `gateway` is not a non-empty string.
   */
  recordPayment(gateway: GatewayType, outcome: GatewayAttemptOutcome): void {
    const kind = classify(outcome);
    const state = this.stateOf(gateway);
    this.step += 1;
    state.window.record(this.clock.now(), kind, outcome.latency, outcome.amount, outcome.cost, outcome.errorCode);
    // Hard declines are about the card, not the gateway: they leave the approval evidence alone.
    if (kind !== HARD_DECLINE) state.evidence.record(this.decay, this.step, kind === APPROVED);
  }

  /**
   * The gateway's metrics over the window. A gateway never recorded, or with no outcome left in
   * the window, gets `hasData: false` and `null` figures. The returned object is frozen and is
   * reused until the gateway's window changes.
   */
  getMetrics(gateway: GatewayType): GatewayMetrics {
    const state = this.gateways.get(gateway);
    if (state === undefined) return emptyMetrics(gateway, null, 0, null);
    state.window.expire(this.clock.now());
    if (state.metrics !== undefined && state.metricsRevision === state.window.revision && state.metricsStep === this.step) {
      return state.metrics;
    }
    state.metrics = this.buildMetrics(state);
    state.metricsRevision = state.window.revision;
    state.metricsStep = this.step;
    return state.metrics;
  }

  /** Metrics of every gateway recorded so far (including those whose window is now empty), in first-recorded order. */
  getAllMetrics(): Map<GatewayType, GatewayMetrics> {
    const all = new Map<GatewayType, GatewayMetrics>();
    for (const gateway of this.gateways.keys()) all.set(gateway, this.getMetrics(gateway));
    return all;
  }

  /** Gateways recorded so far, in first-recorded order. */
  knownGateways(): GatewayType[] {
    return [...this.gateways.keys()];
  }

  /**
   * The inputs the routing engine reads on every decision, without recomputing percentiles each
   * time: the p95 latency is refreshed when a bucket opens or leaves the window, or once 1/16 of
   * the window's outcomes are new since the last refresh. `undefined` for a gateway never recorded.
   */
  getRoutingSignals(gateway: GatewayType): RoutingSignals | undefined {
    const state = this.gateways.get(gateway);
    if (state === undefined) return undefined;
    const window = state.window;
    window.expire(this.clock.now());
    const sums = window.sums;
    if (state.percentilesLayout !== window.layoutRevision || (state.percentilesRevision !== window.revision && this.staleForRouting(state))) {
      this.refreshPercentiles(state);
    }
    return {
      gateway,
      approvals: state.evidence.approvalsAt(this.decay, this.step),
      misses: state.evidence.missesAt(this.decay, this.step),
      volume: sums.count,
      p95Latency: sums.count === 0 ? null : (state.percentiles?.p95 ?? null),
      costRatio: sums.costedAmount > 0 ? sums.costSum / sums.costedAmount : null,
    };
  }

  private staleForRouting(state: GatewayState): boolean {
    const window = state.window;
    // Outcomes since the last refresh, measured by revisions (each record adds one).
    const fresh = window.revision - state.percentilesRevision;
    return fresh >= Math.max(1, window.sums.count * ROUTING_REFRESH_SHARE);
  }

  private refreshPercentiles(state: GatewayState): void {
    state.percentiles = state.window.percentiles();
    state.percentilesRevision = state.window.revision;
    state.percentilesLayout = state.window.layoutRevision;
  }

  private stateOf(gateway: GatewayType): GatewayState {
    let state = this.gateways.get(gateway);
    if (state === undefined) {
      if (typeof gateway !== 'string' || gateway.length === 0) {
        throw new InvalidGatewayArgumentError('METRICS.INVALID_GATEWAY', 'gateway', 'gateway must be a non-empty string such as "STRIPE".');
      }
      state = new GatewayState(gateway, new OutcomeWindow(this.windowSize, this.bucketCount, this.bucketSpan, this.bucketCapacity));
      this.gateways.set(gateway, state);
    }
    return state;
  }

  private buildMetrics(state: GatewayState): GatewayMetrics {
    const window = state.window;
    const approvals = state.evidence.approvalsAt(this.decay, this.step);
    const misses = state.evidence.missesAt(this.decay, this.step);
    const evidence = approvals + misses;
    const recentApprovalRate = evidence > 0 ? (approvals + 1) / (evidence + 2) : null;
    const sums = window.sums;
    const windowStart = window.start;
    if (sums.count === 0 || windowStart === null) {
      return emptyMetrics(state.gateway, recentApprovalRate, evidence, window.lastRecordedAt);
    }
    if (state.percentilesRevision !== window.revision || state.percentilesLayout !== window.layoutRevision) this.refreshPercentiles(state);
    const percentiles = state.percentiles as LatencyPercentiles;
    const approvalBase = sums.count - sums.hardDeclines;
    const metrics: ObservedGatewayMetrics = {
      gateway: state.gateway,
      hasData: true,
      volume: sums.count,
      successCount: sums.answered,
      failureCount: sums.count - sums.answered,
      declineCount: sums.declines,
      hardDeclineCount: sums.hardDeclines,
      approvedCount: sums.approved,
      successRate: sums.answered / sums.count,
      approvalRate: approvalBase > 0 ? sums.approved / approvalBase : null,
      p50Latency: percentiles.p50,
      p95Latency: percentiles.p95,
      p99Latency: percentiles.p99,
      averageLatency: sums.latencySum / sums.count,
      totalCost: sums.costSum,
      averageCost: sums.costCount > 0 ? sums.costSum / sums.costCount : null,
      costRatio: sums.costedAmount > 0 ? sums.costSum / sums.costedAmount : null,
      totalAmount: sums.amountSum,
      errorCounts: Object.freeze(window.errorCounts()),
      windowStart,
      recentApprovalRate,
      recentEvidence: evidence,
      lastUpdated: window.lastRecordedAt,
    };
    return Object.freeze(metrics);
  }
}

const NO_ERRORS: Readonly<Record<string, number>> = Object.freeze({});

function emptyMetrics(gateway: GatewayType, recentApprovalRate: number | null, recentEvidence: number, lastUpdated: number | null): EmptyGatewayMetrics {
  return Object.freeze({
    gateway,
    hasData: false,
    volume: 0,
    successCount: 0,
    failureCount: 0,
    declineCount: 0,
    hardDeclineCount: 0,
    approvedCount: 0,
    successRate: null,
    approvalRate: null,
    p50Latency: null,
    p95Latency: null,
    p99Latency: null,
    averageLatency: null,
    totalCost: 0,
    averageCost: null,
    costRatio: null,
    totalAmount: 0,
    errorCounts: NO_ERRORS,
    windowStart: null,
    recentApprovalRate,
    recentEvidence,
    lastUpdated,
  } as const);
}
