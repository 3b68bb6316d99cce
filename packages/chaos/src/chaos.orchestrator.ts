import { OptionChecks, SystemClock, type Clock, type InvalidOptionError, type NumberRange } from '@aegispay/domain';
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

const experimentChecks = new OptionChecks('CHAOS.INVALID_EXPERIMENT', 'ChaosExperiment');
const optionChecks = new OptionChecks('CHAOS.INVALID_OPTION', 'ChaosOrchestrator');

function invalid(field: string, problem: string, value?: unknown): InvalidOptionError {
  return experimentChecks.invalid(field, problem, value);
}

/** A number of the experiment, `null` when left out. */
function optionalNumber(value: number | undefined, field: string, range: NumberRange, integer = false): number | null {
  if (value === undefined) return null;
  return integer ? experimentChecks.integer(field, value, undefined, range) : experimentChecks.number(field, value, undefined, range);
}

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

  /** @throws InvalidOptionError `CHAOS.INVALID_OPTION` when `clock` or `circuitBreakers` lacks the methods used. */
  constructor(options: ChaosOrchestratorOptions = {}) {
    this.clock = optionChecks.port('clock', options.clock, () => new SystemClock(), ['now', 'sleep']);
    // onOpen(listener) returns the unsubscribe function, as a CircuitBreakerManager's does.
    this.circuitBreakers = options.circuitBreakers === undefined ? null : optionChecks.port('circuitBreakers', options.circuitBreakers, undefined, ['onOpen']);
  }

  /**
   * Runs `experiment`, calling `fn` once per request. A call succeeds when `fn` resolves (and
   * `classifyResult` does not name a failure) and fails when it throws. Calls in flight when the
   * run ends or aborts are awaited; `fn` must settle. Then real calls that the experiment's
   * `gateways` left running after `AFTER` timeouts are awaited too, before the invariants are checked.
   *
   * @throws InvalidOptionError `CHAOS.INVALID_EXPERIMENT` naming the offending field.
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
    experimentChecks.object('', experiment, undefined);
    if (typeof experiment.name !== 'string' || experiment.name.trim() === '') {
      throw invalid('name', 'must be a non-empty string (it heads the report)', experiment.name);
    }
    // Checked now: finding a wrong type after the run would throw the whole run away.
    experimentChecks.requiredFunction('fn', fn);
    experimentChecks.optionalFunction('validateInvariants', experiment.validateInvariants);
    experimentChecks.optionalFunction('classifyResult', experiment.classifyResult);
    // onOpen(listener) returns the unsubscribe function, as a CircuitBreakerManager's does.
    if (experiment.circuitBreakers !== undefined) experimentChecks.port('circuitBreakers', experiment.circuitBreakers, undefined, ['onOpen']);
    if (experiment.gateways !== undefined) {
      if (!Array.isArray(experiment.gateways)) throw invalid('gateways', 'must be a list of chaos gateways', experiment.gateways);
      experiment.gateways.forEach((gateway: unknown, i) => {
        experimentChecks.port(`gateways.${i}`, gateway as object, undefined, ['getStats']);
        experimentChecks.optionalFunction(`gateways.${i}.whenIdle`, (gateway as { whenIdle?: unknown }).whenIdle);
      });
    }
    if (experiment.seed !== undefined) experimentChecks.integer('seed', experiment.seed, undefined);
    const duration = optionalNumber(experiment.duration, 'duration', { above: 0 });
    const iterations = optionalNumber(experiment.iterations, 'iterations', { min: 1 }, true);
    if (duration === null && iterations === null) {
      throw invalid('duration', 'or iterations must be given (a duration in ms, a number of iterations, or both)');
    }
    const concurrency = optionalNumber(experiment.concurrency, 'concurrency', { min: 1 }, true) ?? 1;
    const intervalMs = optionalNumber(experiment.intervalMs, 'intervalMs', { min: 0 }) ?? (duration === null ? 0 : 100);
    if (iterations === null && intervalMs === 0) {
      throw invalid(
        'intervalMs',
        'must be above 0 when only duration bounds the run: on a virtual clock, calls that take no time would never reach the end. Set intervalMs or iterations',
        intervalMs,
      );
    }
    const expectedSuccessRate = optionalNumber(experiment.expectedSuccessRate, 'expectedSuccessRate', { min: 0, max: 1 });
    const maxCircuitBreakerOpens = optionalNumber(experiment.maxCircuitBreakerOpens, 'maxCircuitBreakerOpens', { min: 0 }, true);
    if (maxCircuitBreakerOpens !== null && (experiment.circuitBreakers ?? this.circuitBreakers) === null) {
      throw invalid(
        'maxCircuitBreakerOpens',
        'needs a circuit breaker event source to count openings: pass `circuitBreakers` (a CircuitBreakerManager) in the experiment or the orchestrator options',
      );
    }
    const maxAverageLatency = optionalNumber(experiment.maxAverageLatency, 'maxAverageLatency', { min: 0 });
    let abortCondition: ExperimentAbortCondition | null = null;
    if (experiment.abortCondition !== undefined) {
      const windowSize = optionalNumber(experiment.abortCondition.windowSize, 'abortCondition.windowSize', { min: 1 }, true);
      const minSuccessRate = optionalNumber(experiment.abortCondition.minSuccessRate, 'abortCondition.minSuccessRate', { min: 0, max: 1 });
      if (windowSize === null || minSuccessRate === null) throw invalid('abortCondition', 'needs both windowSize and minSuccessRate');
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
