import { SystemClock, ValidationError, type Clock } from '@aegispay/domain';
import type {
  ChaosExperiment,
  ChaosExperimentResult,
  ExperimentAbortCondition,
  ExperimentCallContext,
  ExperimentConfiguration,
  ExperimentCriteria,
  ThresholdVerdict,
} from './chaos-experiment';
import { statsDelta, sumStats } from './chaos-stats';
import type { CircuitBreakerEventSource } from './circuit-breaker-events';
import { summarizeLatencies } from './latency-summary';

/** Options of {@link ChaosOrchestrator}. */
export interface ChaosOrchestratorOptions {
  /**
   * Time for pacing and latency measurement. Defaults to the system clock; pass the same
   * `VirtualClock({ autoAdvance: true })` as the chaos gateways to run on virtual time.
   */
  readonly clock?: Clock;
  /** Where to count circuit breaker openings when an experiment names none (a `CircuitBreakerManager`). */
  readonly circuitBreakers?: CircuitBreakerEventSource;
}

const CODE = 'CHAOS.INVALID_EXPERIMENT';

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(CODE, field, `ChaosExperiment${field === '' ? '' : `.${field}`}: ${message}`);
}

function optionalNumber(value: number | undefined, field: string, check: (v: number) => boolean, rule: string): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !check(value)) throw invalid(field, `must be ${rule}, got ${String(value)}.`);
  return value;
}

const isProbability = (v: number): boolean => v >= 0 && v <= 1;
const isCount = (v: number): boolean => Number.isSafeInteger(v) && v >= 0;
const isPositiveCount = (v: number): boolean => Number.isSafeInteger(v) && v >= 1;
const isDuration = (v: number): boolean => Number.isFinite(v) && v >= 0;

function errorLabel(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0) return name;
  }
  return 'UnknownError';
}

function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Runs chaos experiments: calls the experiment function for a duration or a number of iterations
 * at a chosen concurrency, measures success rate, latency, errors and circuit breaker openings,
 * stops early when the abort condition trips, and judges the run against the steady-state
 * hypothesis. Prints nothing: render the result with `formatReport`.
 */
export class ChaosOrchestrator {
  private readonly clock: Clock;
  private readonly circuitBreakers: CircuitBreakerEventSource | null;

  /** @throws ValidationError `CHAOS.INVALID_OPTION` when `clock` or `circuitBreakers` lacks the methods used. */
  constructor(options: ChaosOrchestratorOptions = {}) {
    const { clock, circuitBreakers } = options;
    if (clock !== undefined && (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function' || typeof clock.sleep !== 'function')) {
      throw new ValidationError('CHAOS.INVALID_OPTION', 'clock', 'ChaosOrchestrator clock must be a Clock (now() and sleep()).');
    }
    if (circuitBreakers !== undefined && (typeof circuitBreakers !== 'object' || circuitBreakers === null || typeof circuitBreakers.onOpen !== 'function')) {
      throw new ValidationError(
        'CHAOS.INVALID_OPTION',
        'circuitBreakers',
        'ChaosOrchestrator circuitBreakers must have onOpen(listener) returning an unsubscribe function, as a CircuitBreakerManager has.',
      );
    }
    this.clock = clock ?? new SystemClock();
    this.circuitBreakers = circuitBreakers ?? null;
  }

  /**
   * Runs `experiment`, calling `fn` once per request. A call succeeds when `fn` resolves (and
   * `classifyResult` does not name a failure) and fails when it throws. Calls in flight when the
   * run ends or aborts are awaited; `fn` must settle. Then real calls that the experiment's
   * `gateways` left running after `AFTER` timeouts are awaited too, before the invariants are checked.
   *
   * @throws ValidationError `CHAOS.INVALID_EXPERIMENT` naming the offending field.
   */
  async runExperiment<T>(
    experiment: ChaosExperiment<T>,
    fn: (context: ExperimentCallContext) => Promise<T> | T,
  ): Promise<ChaosExperimentResult> {
    const configuration = this.validate(experiment, fn);
    const { duration, iterations, concurrency, intervalMs, abortCondition } = configuration;
    const clock = this.clock;
    const breakerSource = experiment.circuitBreakers ?? this.circuitBreakers;
    const gateways = experiment.gateways ?? [];
    const statsBefore = gateways.map((gateway) => gateway.getStats());

    let opens = 0;
    const opensByGateway: Record<string, number> = {};
    const latencies: number[] = [];
    const errorsByType: Record<string, number> = {};
    let successes = 0;
    let issued = 0;
    let stopping = false;
    let abortReason: string | null = null;
    const recent = abortCondition === null ? null : new RecentOutcomes(abortCondition);

    const startedAt = clock.now();
    const endAt = duration === null ? Number.POSITIVE_INFINITY : startedAt + duration;
    const mayStart = (): boolean =>
      !stopping && (iterations === null || issued < iterations) && clock.now() < endAt;

    const record = (failure: string | null, latency: number): void => {
      latencies.push(latency);
      if (failure === null) successes += 1;
      else errorsByType[failure] = (errorsByType[failure] ?? 0) + 1;
      if (recent === null || stopping) return;
      const rate = recent.push(failure === null);
      if (rate !== null && abortCondition !== null && rate < abortCondition.minSuccessRate) {
        stopping = true;
        abortReason =
          `Success rate over the last ${abortCondition.windowSize} calls fell to ${percent(rate)} ` +
          `(floor ${percent(abortCondition.minSuccessRate)}) after ${latencies.length} calls; no new calls were started.`;
      }
    };

    const worker = async (index: number): Promise<void> => {
      let nextStart = startedAt + Math.floor((index * intervalMs) / concurrency);
      while (mayStart()) {
        const iteration = issued++;
        const wait = nextStart - clock.now();
        if (wait > 0) {
          await clock.sleep(wait);
          if (stopping || clock.now() >= endAt) return;
        }
        const callStartedAt = clock.now();
        let failure: string | null;
        try {
          const value = await fn({ iteration, worker: index, startedAt: callStartedAt });
          failure = experiment.classifyResult?.(value) ?? null;
        } catch (error) {
          failure = errorLabel(error);
        }
        const finishedAt = clock.now();
        record(failure, finishedAt - callStartedAt);
        nextStart = Math.max(nextStart + intervalMs, finishedAt);
      }
    };

    const unsubscribe =
      breakerSource?.onOpen((event) => {
        opens += 1;
        opensByGateway[event.gateway] = (opensByGateway[event.gateway] ?? 0) + 1;
      }) ?? null;
    let endedAt: number;
    try {
      await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
      endedAt = clock.now();
      // Real calls left running by AFTER timeouts may still charge: let them land before the
      // invariants and the injection counts are read, or a late double charge would go unseen.
      await Promise.all(gateways.map((gateway) => gateway.whenIdle?.()));
    } finally {
      unsubscribe?.();
    }

    let invariantsHeld: boolean | null = null;
    let invariantError: string | null = null;
    if (experiment.validateInvariants !== undefined) {
      try {
        invariantsHeld = (await experiment.validateInvariants()) === true;
      } catch (error) {
        invariantsHeld = false;
        invariantError = error instanceof Error ? error.message : String(error);
      }
    }

    const total = latencies.length;
    const latency = summarizeLatencies(latencies);
    const successRate = total === 0 ? 0 : successes / total;
    const circuitBreakerOpens = breakerSource === null ? null : opens;
    const criteria: ExperimentCriteria = {
      successRate: threshold(configuration.expectedSuccessRate, successRate, 'AT_LEAST'),
      circuitBreakerOpens: threshold(configuration.maxCircuitBreakerOpens, circuitBreakerOpens, 'AT_MOST'),
      averageLatency: threshold(configuration.maxAverageLatency, latency.average, 'AT_MOST'),
      invariants:
        invariantsHeld === null ? null : { expected: true, actual: invariantsHeld, passed: invariantsHeld },
    };
    const allPassed = Object.values(criteria).every((verdict) => verdict === null || verdict.passed);
    const gatewayStats = gateways.map((gateway, i) => statsDelta(statsBefore[i] ?? gateway.getStats(), gateway.getStats()));

    return {
      name: experiment.name,
      description: experiment.description ?? null,
      success: abortReason === null && allPassed,
      aborted: abortReason !== null,
      abortReason,
      seed: experiment.seed ?? experiment.config?.seed ?? null,
      configuration,
      startedAt,
      endedAt,
      durationMs: endedAt - startedAt,
      totalRequests: total,
      successfulRequests: successes,
      failedRequests: total - successes,
      successRate,
      circuitBreakerOpens,
      circuitBreakerOpensByGateway: opensByGateway,
      averageLatency: latency.average,
      p50Latency: latency.p50,
      p95Latency: latency.p95,
      p99Latency: latency.p99,
      maxLatency: latency.max,
      errorsByType,
      invariantsHeld,
      invariantError,
      criteria,
      chaos: gateways.length === 0 ? null : plainCopy({ totals: sumStats(gatewayStats), gateways: gatewayStats }),
    };
  }

  private validate<T>(experiment: ChaosExperiment<T>, fn: unknown): ExperimentConfiguration {
    if (typeof experiment !== 'object' || experiment === null) throw invalid('', 'must be an object with a name and a duration or iterations.');
    if (typeof experiment.name !== 'string' || experiment.name.trim() === '') {
      throw invalid('name', 'must be a non-empty string (it heads the report).');
    }
    // Checked now: finding a wrong type after the run would throw the whole run away.
    if (typeof fn !== 'function') throw new ValidationError(CODE, 'fn', 'runExperiment needs the function to call on each iteration.');
    for (const field of ['validateInvariants', 'classifyResult'] as const) {
      if (experiment[field] !== undefined && typeof experiment[field] !== 'function') throw invalid(field, 'must be a function when given.');
    }
    const source = experiment.circuitBreakers;
    if (source !== undefined && (typeof source !== 'object' || source === null || typeof source.onOpen !== 'function')) {
      throw invalid('circuitBreakers', 'must have onOpen(listener) returning an unsubscribe function, as a CircuitBreakerManager has.');
    }
    if (experiment.gateways !== undefined) {
      if (!Array.isArray(experiment.gateways)) throw invalid('gateways', 'must be a list of chaos gateways.');
      experiment.gateways.forEach((gateway: unknown, i) => {
        const candidate = gateway as { getStats?: unknown; whenIdle?: unknown } | null;
        if (typeof candidate !== 'object' || candidate === null || typeof candidate.getStats !== 'function' || !['undefined', 'function'].includes(typeof candidate.whenIdle)) {
          throw invalid(`gateways.${i}`, 'must have getStats() (and whenIdle() if anything), as a ChaosGateway has.');
        }
      });
    }
    if (experiment.seed !== undefined && !Number.isSafeInteger(experiment.seed)) throw invalid('seed', `must be an integer, got ${String(experiment.seed)}.`);
    const duration = optionalNumber(experiment.duration, 'duration', (v) => Number.isFinite(v) && v > 0, 'a positive number of ms');
    const iterations = optionalNumber(experiment.iterations, 'iterations', isPositiveCount, 'an integer ≥ 1');
    if (duration === null && iterations === null) {
      throw invalid('duration', 'give a duration (ms), a number of iterations, or both.');
    }
    const concurrency = optionalNumber(experiment.concurrency, 'concurrency', isPositiveCount, 'an integer ≥ 1') ?? 1;
    const intervalMs =
      optionalNumber(experiment.intervalMs, 'intervalMs', isDuration, 'a number of ms ≥ 0') ?? (duration === null ? 0 : 100);
    if (iterations === null && intervalMs === 0) {
      throw invalid(
        'intervalMs',
        'must be above 0 when only duration bounds the run: on a virtual clock, calls that take no time would never reach the end. Set intervalMs or iterations.',
      );
    }
    const expectedSuccessRate = optionalNumber(experiment.expectedSuccessRate, 'expectedSuccessRate', isProbability, 'in [0, 1]');
    const maxCircuitBreakerOpens = optionalNumber(experiment.maxCircuitBreakerOpens, 'maxCircuitBreakerOpens', isCount, 'an integer ≥ 0');
    if (maxCircuitBreakerOpens !== null && (experiment.circuitBreakers ?? this.circuitBreakers) === null) {
      throw invalid(
        'maxCircuitBreakerOpens',
        'needs a circuit breaker event source to count openings: pass `circuitBreakers` (a CircuitBreakerManager) in the experiment or the orchestrator options.',
      );
    }
    const maxAverageLatency = optionalNumber(experiment.maxAverageLatency, 'maxAverageLatency', isDuration, 'a number of ms ≥ 0');
    let abortCondition: ExperimentAbortCondition | null = null;
    if (experiment.abortCondition !== undefined) {
      const windowSize = optionalNumber(experiment.abortCondition.windowSize, 'abortCondition.windowSize', isPositiveCount, 'an integer ≥ 1');
      const minSuccessRate = optionalNumber(
        experiment.abortCondition.minSuccessRate,
        'abortCondition.minSuccessRate',
        isProbability,
        'in [0, 1]',
      );
      if (windowSize === null || minSuccessRate === null) {
        throw invalid('abortCondition', 'needs both windowSize and minSuccessRate.');
      }
      abortCondition = { windowSize, minSuccessRate };
    }
    return {
      duration,
      iterations,
      concurrency,
      intervalMs,
      expectedSuccessRate,
      maxCircuitBreakerOpens,
      maxAverageLatency,
      abortCondition,
      chaos: experiment.config === undefined ? null : plainCopy(experiment.config),
    };
  }
}

function threshold(expected: number | null, actual: number | null, comparison: 'AT_LEAST' | 'AT_MOST'): ThresholdVerdict | null {
  if (expected === null) return null;
  const passed = actual !== null && (comparison === 'AT_LEAST' ? actual >= expected : actual <= expected);
  return { expected, actual, comparison, passed };
}

function percent(rate: number): string {
  return `${Math.round(rate * 10_000) / 100}%`;
}

/** Success or failure of the last `windowSize` calls, in a ring. */
class RecentOutcomes {
  private readonly outcomes: boolean[];
  private next = 0;
  private filled = 0;
  private successes = 0;

  constructor(private readonly condition: ExperimentAbortCondition) {
    this.outcomes = new Array<boolean>(condition.windowSize).fill(false);
  }

  /** Adds an outcome; returns the success rate over the window once it is full, else null. */
  push(success: boolean): number | null {
    const size = this.condition.windowSize;
    if (this.filled === size && this.outcomes[this.next] === true) this.successes -= 1;
    this.outcomes[this.next] = success;
    if (success) this.successes += 1;
    this.next = (this.next + 1) % size;
    this.filled = Math.min(size, this.filled + 1);
    return this.filled === size ? this.successes / size : null;
  }
}
