import { CHAOS_ERROR_TYPES, type ChaosErrorType } from './chaos-error-type';
import type { ResourcePoolStats } from './resource-pool';

/** Injections per mechanism (one per failure type of the spec). */
export interface ChaosInjectionCounts {
  /** Every injection, latency included (what `maxInjections` caps). */
  readonly total: number;
  readonly latency: number;
  /** Failures from `failureRate`. */
  readonly errors: number;
  /** Timeouts from `timeoutRate`. */
  readonly timeouts: number;
  readonly intermittent: number;
  readonly cascading: number;
  readonly resourceExhaustion: number;
}

/** Injected timeouts by phase, whatever mechanism produced them. */
export interface ChaosTimeoutCounts {
  /** Timed out before the real call: nothing happened at the gateway. */
  readonly before: number;
  /** Timed out after the real call: the gateway did its work, the answer was lost. */
  readonly after: number;
  /** `AFTER` timeouts of charges the real gateway approved: money taken, caller never told. */
  readonly afterApproved: number;
}

/** Counters of a {@link ChaosGateway}, JSON-safe. */
export interface ChaosStats {
  readonly gateway: string;
  /** The seed in use (from the config, or drawn when it had none). */
  readonly seed: number;
  readonly enabled: boolean;
  /** Calls received, all operations. */
  readonly calls: number;
  /** Calls that were subject to chaos (enabled, operation covered, cap not reached when they started). */
  readonly chaosCalls: number;
  readonly injections: ChaosInjectionCounts;
  /** Injected failures by how they surfaced. */
  readonly errorTypes: Readonly<Record<ChaosErrorType, number>>;
  readonly timeoutPhases: ChaosTimeoutCounts;
  /** Sum of the injected delays, ms. */
  readonly injectedLatencyMs: number;
  /** Calls forwarded to the real gateway. */
  readonly innerCalls: number;
  /** Real gateway calls that threw or returned a technical failure / unknown outcome. */
  readonly innerFailures: number;
  /** `null` without `resourcePool`. */
  readonly pool: ResourcePoolStats | null;
}

/** Anything that reports {@link ChaosStats} (a `ChaosGateway`). */
export interface ChaosStatsSource {
  getStats(): ChaosStats;
  /** Resolves when the work it left running in the background has settled (see `ChaosGateway.whenIdle`). */
  whenIdle?(): Promise<void>;
}

/** A zero count for every error type. */
export function emptyErrorTypeCounts(): Record<ChaosErrorType, number> {
  return Object.fromEntries(CHAOS_ERROR_TYPES.map((type) => [type, 0])) as Record<ChaosErrorType, number>;
}

/** The injections sum of several gateways' stats (for an experiment's totals). */
export interface ChaosTotals {
  readonly injections: ChaosInjectionCounts;
  readonly errorTypes: Readonly<Record<ChaosErrorType, number>>;
  readonly timeoutPhases: ChaosTimeoutCounts;
  readonly injectedLatencyMs: number;
  readonly calls: number;
  readonly chaosCalls: number;
}

/** What happened between two snapshots of one gateway's stats (`after − before`; identity fields from `after`). */
export function statsDelta(before: ChaosStats, after: ChaosStats): ChaosStats {
  const sub = (a: number, b: number): number => a - b;
  return {
    ...after,
    calls: sub(after.calls, before.calls),
    chaosCalls: sub(after.chaosCalls, before.chaosCalls),
    injections: mapCounts(after.injections, before.injections, sub),
    errorTypes: mapCounts(after.errorTypes, before.errorTypes, sub),
    timeoutPhases: mapCounts(after.timeoutPhases, before.timeoutPhases, sub),
    injectedLatencyMs: sub(after.injectedLatencyMs, before.injectedLatencyMs),
    innerCalls: sub(after.innerCalls, before.innerCalls),
    innerFailures: sub(after.innerFailures, before.innerFailures),
  };
}

/** Sums the counters of several gateways. */
export function sumStats(stats: readonly ChaosStats[]): ChaosTotals {
  const add = (a: number, b: number): number => a + b;
  let totals: ChaosTotals = {
    injections: { total: 0, latency: 0, errors: 0, timeouts: 0, intermittent: 0, cascading: 0, resourceExhaustion: 0 },
    errorTypes: emptyErrorTypeCounts(),
    timeoutPhases: { before: 0, after: 0, afterApproved: 0 },
    injectedLatencyMs: 0,
    calls: 0,
    chaosCalls: 0,
  };
  for (const s of stats) {
    totals = {
      injections: mapCounts(totals.injections, s.injections, add),
      errorTypes: mapCounts(totals.errorTypes, s.errorTypes, add),
      timeoutPhases: mapCounts(totals.timeoutPhases, s.timeoutPhases, add),
      injectedLatencyMs: totals.injectedLatencyMs + s.injectedLatencyMs,
      calls: totals.calls + s.calls,
      chaosCalls: totals.chaosCalls + s.chaosCalls,
    };
  }
  return totals;
}

function mapCounts<K extends string>(
  a: Readonly<Record<K, number>>,
  b: Readonly<Record<K, number>>,
  op: (x: number, y: number) => number,
): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of Object.keys(a) as K[]) out[key] = op(a[key], b[key]);
  return out;
}
