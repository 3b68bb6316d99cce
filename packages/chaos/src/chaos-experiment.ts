import type { ChaosConfig } from './chaos-config';
import type { ChaosStats, ChaosStatsSource, ChaosTotals } from './chaos-stats';
import type { CircuitBreakerEventSource } from './circuit-breaker-events';

/** Stop early when the success rate over the last `windowSize` calls falls below `minSuccessRate`. */
export interface ExperimentAbortCondition {
  /** Number of most recent calls looked at; the condition is checked once that many calls finished. At least 1. */
  readonly windowSize: number;
  /** The floor, in [0, 1]. */
  readonly minSuccessRate: number;
}

/**
 * A chaos experiment: how long to run, at which concurrency, and the steady-state hypothesis
 * (criteria) the run is judged against. `T` is what the experiment function returns.
 */
export interface ChaosExperiment<T = unknown> {
  readonly name: string;
  readonly description?: string;
  /** How long to keep starting calls, in ms of the orchestrator's clock. Give it, `iterations`, or both (first reached wins). */
  readonly duration?: number;
  /** How many calls to make in total. */
  readonly iterations?: number;
  /** Calls in flight at once (workers). Defaults to 1. */
  readonly concurrency?: number;
  /**
   * Clock time between the starts of two calls of one worker (workers are spread evenly over the
   * interval); a call that overruns is followed at once. Defaults to 100 ms when `duration` is
   * given, else 0. Must be above 0 when only `duration` bounds the run: on a virtual clock, calls
   * that take no time would otherwise never reach the end.
   */
  readonly intervalMs?: number;
  /** The chaos configuration under test, recorded in the result (the gateways apply their own). */
  readonly config?: ChaosConfig;
  /** Seed recorded in the result. Defaults to `config.seed`. */
  readonly seed?: number;
  /** Steady state: minimum share of successful calls, in [0, 1]. */
  readonly expectedSuccessRate?: number;
  /** Steady state: most circuit breaker openings allowed (needs a circuit breaker event source). */
  readonly maxCircuitBreakerOpens?: number;
  /** Steady state: highest average call latency allowed, ms of the clock. */
  readonly maxAverageLatency?: number;
  /** Steady state: checked once after the run (also after an abort); false or a throw fails the experiment. */
  readonly validateInvariants?: () => boolean | Promise<boolean>;
  /** Blast-radius limit: stop early when the recent success rate falls below a floor. */
  readonly abortCondition?: ExperimentAbortCondition;
  /** Where to count circuit breaker openings; overrides the orchestrator's. */
  readonly circuitBreakers?: CircuitBreakerEventSource;
  /** Chaos gateways whose injections during the run are reported in `result.chaos`. */
  readonly gateways?: readonly ChaosStatsSource[];
  /**
   * Reads a returned value: `null`/`undefined` for a success, or the label to count the failure
   * under in `errorsByType` (for functions that return failures as values). Defaults to every
   * returned value being a success; a thrown error is always a failure, counted under its `name`.
   */
  readonly classifyResult?: (value: T) => string | null | undefined;
}

/** What the experiment function is told about the call. */
export interface ExperimentCallContext {
  /** Index of the call in the run, from 0. */
  readonly iteration: number;
  /** Index of the worker making it, from 0. */
  readonly worker: number;
  /** When the call started, epoch ms of the orchestrator's clock. */
  readonly startedAt: number;
}

/** The verdict of a numeric criterion. */
export interface ThresholdVerdict {
  /** The configured bound. */
  readonly expected: number;
  /** The measured value; `null` when it could not be measured. */
  readonly actual: number | null;
  /** `AT_LEAST`: actual ≥ expected passes; `AT_MOST`: actual ≤ expected passes. */
  readonly comparison: 'AT_LEAST' | 'AT_MOST';
  readonly passed: boolean;
}

/** The verdict of each criterion; `null` for a criterion the experiment did not set. */
export interface ExperimentCriteria {
  readonly successRate: ThresholdVerdict | null;
  readonly circuitBreakerOpens: ThresholdVerdict | null;
  readonly averageLatency: ThresholdVerdict | null;
  readonly invariants: { readonly expected: true; readonly actual: boolean; readonly passed: boolean } | null;
}

/** The settings a run used, every default applied (JSON-safe). */
export interface ExperimentConfiguration {
  readonly duration: number | null;
  readonly iterations: number | null;
  readonly concurrency: number;
  readonly intervalMs: number;
  readonly expectedSuccessRate: number | null;
  readonly maxCircuitBreakerOpens: number | null;
  readonly maxAverageLatency: number | null;
  readonly abortCondition: ExperimentAbortCondition | null;
  /** The experiment's `config`, as given. */
  readonly chaos: ChaosConfig | null;
}

/**
 * The result of {@link ChaosOrchestrator.runExperiment}: plain data that survives
 * `JSON.parse(JSON.stringify(result))` unchanged. Latencies are ms of the orchestrator's clock,
 * measured around each call of the experiment function, failed calls included; percentiles are
 * exact (nearest rank over every call of the run).
 */
export interface ChaosExperimentResult {
  readonly name: string;
  readonly description: string | null;
  /** True when the run was not aborted and every criterion set passed. */
  readonly success: boolean;
  readonly aborted: boolean;
  /** Why the run stopped early; `null` when it was not aborted. */
  readonly abortReason: string | null;
  /** The experiment's seed (`seed`, else `config.seed`); `null` when it had none. Gateways' own seeds are in `chaos.gateways`. */
  readonly seed: number | null;
  readonly configuration: ExperimentConfiguration;
  /** Start and end of the run (before the invariant check), epoch ms of the clock. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly durationMs: number;
  readonly totalRequests: number;
  readonly successfulRequests: number;
  readonly failedRequests: number;
  /** successfulRequests / totalRequests, 0 without calls. */
  readonly successRate: number;
  /** Circuit breaker openings during the run; `null` without an event source. */
  readonly circuitBreakerOpens: number | null;
  readonly circuitBreakerOpensByGateway: Readonly<Record<string, number>>;
  readonly averageLatency: number;
  readonly p50Latency: number;
  readonly p95Latency: number;
  readonly p99Latency: number;
  readonly maxLatency: number;
  /** Failed calls by error name (`ChaosInjectedError`, `CircuitBreakerOpenError`…) or `classifyResult` label. */
  readonly errorsByType: Readonly<Record<string, number>>;
  /** Result of `validateInvariants`; `null` when the experiment has none. */
  readonly invariantsHeld: boolean | null;
  /** The message when `validateInvariants` threw; else `null`. */
  readonly invariantError: string | null;
  readonly criteria: ExperimentCriteria;
  /** Injections made by the experiment's `gateways` during the run; `null` without gateways. */
  readonly chaos: { readonly totals: ChaosTotals; readonly gateways: readonly ChaosStats[] } | null;
}
