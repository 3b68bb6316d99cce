import { OptionChecks, type InvalidOptionError } from '@aegispay/domain';
import {
  DEFAULT_CHAOS_ERROR_TYPES,
  isChaosErrorType,
  type ChaosErrorType,
  type ChaosOperation,
  type TimeoutPhase,
} from './chaos-error-type';

/** A bounded connection pool in front of the real gateway (resource exhaustion). */
export interface ResourcePoolConfig {
  /** Connections available at once; a connection is held for the whole call. At least 1. */
  readonly size: number;
  /**
   * How long a call waits for a free connection before failing with `RESOURCE_EXHAUSTED`, in ms.
   * 0 fails at once when the pool is full. Defaults to 1 000 ms.
   */
  readonly acquireTimeoutMs?: number;
}

/**
 * What a {@link ChaosGateway} injects. Plain data (it serialises to JSON), so an experiment can
 * record it. Every rate is a probability per call in [0, 1].
 *
 * The rates of the failure kinds are disjoint bands of one random draw: `timeoutRate` of the
 * calls time out, `failureRate` of them fail with one of `errorTypes`, and the rest succeed, so
 * each configured rate is the exact probability of its kind (`failureRate + timeoutRate ≤ 1`).
 */
export interface ChaosConfig {
  /** Whether chaos is injected at all; switch at run time with `enable()`/`disable()`. Defaults to true. */
  readonly enabled?: boolean;
  /** Probability that a call fails with one of `errorTypes`. Defaults to 0. */
  readonly failureRate?: number;
  /**
   * The types injected failures take, chosen uniformly. `TIMEOUT` here behaves like a timeout
   * (waits `timeoutMs`, phase per `timeoutPhase`). Defaults to the spec's five: network error,
   * timeout, 503, 429, 500.
   */
  readonly errorTypes?: readonly ChaosErrorType[];
  /** Probability that a call is slowed down by a delay drawn from `latencyMs`. Defaults to 0. */
  readonly latencyRate?: number;
  /** Range of injected delays in ms, both ends included, drawn uniformly. Defaults to { min: 100, max: 5 000 }. */
  readonly latencyMs?: { readonly min: number; readonly max: number };
  /** Probability that a call times out. Defaults to 0. */
  readonly timeoutRate?: number;
  /** How long the caller waits before an injected timeout surfaces, in ms of the clock. Defaults to 5 000 ms. */
  readonly timeoutMs?: number;
  /** Whether injected timeouts happen before or after the real call (see {@link TimeoutPhase}). Defaults to `MIXED`. */
  readonly timeoutPhase?: TimeoutPhase;
  /** With `timeoutPhase: 'MIXED'`, the share of timeouts that happen `AFTER` the real call. Defaults to 0.5. */
  readonly afterTimeoutShare?: number;
  /**
   * Length of the windows in which intermittent bursts happen, in ms (the first starts when the
   * gateway is created). Each window has one burst, starting at a seeded random instant: the next
   * `intermittentFailureBurst` calls from that instant fail (fewer if the window ends first).
   * Defaults to off; 10 000 ms when only `intermittentFailureBurst` is given.
   */
  readonly intermittentFailureWindow?: number;
  /** Consecutive failing calls per burst. Defaults to off; 3 when only `intermittentFailureWindow` is given. */
  readonly intermittentFailureBurst?: number;
  /**
   * Seed of the gateway's random stream: the same seed, gateway name and sequence of calls give
   * identical injections. Defaults to a seed drawn from the `random` dependency (crypto by
   * default), reported by `getStats().seed` so the run can be replayed.
   */
  readonly seed?: number;
  /** Cap on the total number of injections (latency included); afterwards calls pass through. Defaults to unlimited. */
  readonly maxInjections?: number;
  /** A bounded connection pool: calls beyond `size` wait, then fail with `RESOURCE_EXHAUSTED`. Defaults to none. */
  readonly resourcePool?: ResourcePoolConfig;
  /**
   * How injected failures reach the caller: `THROW` throws {@link ChaosInjectedError} /
   * {@link ChaosTimeoutError}; `RESULT` returns them as values like a real adapter would
   * (`TECHNICAL_FAILURE` with `retryable: true`, or `UNKNOWN` for an `AFTER` timeout; for
   * `getStatus`, `{ status: 'UNKNOWN' }`). Defaults to `THROW`.
   */
  readonly failureMode?: 'THROW' | 'RESULT';
  /** Which operations chaos applies to; the others pass straight through. Defaults to `['charge']`. */
  readonly operations?: readonly ChaosOperation[];
}

/** A {@link ChaosConfig} with every default applied (what a gateway actually uses). */
export interface ResolvedChaosConfig {
  readonly enabled: boolean;
  readonly failureRate: number;
  readonly errorTypes: readonly ChaosErrorType[];
  readonly latencyRate: number;
  readonly latencyMs: { readonly min: number; readonly max: number };
  readonly timeoutRate: number;
  readonly timeoutMs: number;
  readonly timeoutPhase: TimeoutPhase;
  readonly afterTimeoutShare: number;
  /** `null` when intermittent bursts are off. */
  readonly intermittentFailureWindow: number | null;
  readonly intermittentFailureBurst: number;
  readonly seed: number;
  /** `null` for unlimited. */
  readonly maxInjections: number | null;
  readonly resourcePool: { readonly size: number; readonly acquireTimeoutMs: number } | null;
  readonly failureMode: 'THROW' | 'RESULT';
  readonly operations: readonly ChaosOperation[];
}

const OPERATIONS: readonly ChaosOperation[] = ['charge', 'refund', 'getStatus', 'getRefundStatus'];
const checks = new OptionChecks('CHAOS.INVALID_CONFIG', 'ChaosConfig');

function invalid(field: string, problem: string, value?: unknown): InvalidOptionError {
  return checks.invalid(field, problem, value);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A probability; 0 when left out. */
function rate(value: number | undefined, field: string): number {
  return checks.rate(field, value, 0);
}

function duration(value: number | undefined, field: string, fallback: number, min = 0): number {
  return checks.number(field, value, fallback, { min });
}

function count(value: number | undefined, field: string, min: number): number | undefined {
  return value === undefined ? undefined : checks.integer(field, value, undefined, { min });
}

/**
 * Validates `config` and applies the defaults. `seed` is the seed to use when the config has
 * none. Throws an `InvalidOptionError` (`CHAOS.INVALID_CONFIG`) naming the offending field.
 */
export function resolveChaosConfig(config: ChaosConfig, seed: number): ResolvedChaosConfig {
  if (!isObject(config)) throw invalid('', 'must be an object such as { failureRate: 0.3, seed: 42 }', config);
  // A truthy string such as 'false' must not switch chaos on.
  const enabled = checks.boolean('enabled', config.enabled, true);
  const failureRate = rate(config.failureRate, 'failureRate');
  const timeoutRate = rate(config.timeoutRate, 'timeoutRate');
  if (failureRate + timeoutRate > 1) {
    throw invalid('failureRate', `plus timeoutRate (${timeoutRate}) must not exceed 1: they are disjoint shares of the calls`, failureRate);
  }
  const errorTypes = config.errorTypes ?? DEFAULT_CHAOS_ERROR_TYPES;
  if (!Array.isArray(errorTypes) || errorTypes.length === 0) {
    throw invalid('errorTypes', 'must list at least one ChaosErrorType (or be left out for the defaults)', errorTypes);
  }
  errorTypes.forEach((type, index) => {
    if (!isChaosErrorType(type)) throw invalid(`errorTypes.${index}`, 'is not a ChaosErrorType', type);
  });
  const latencyMs = config.latencyMs ?? { min: 100, max: 5_000 };
  if (!isObject(latencyMs)) throw invalid('latencyMs', 'must be an object { min, max } of ms', latencyMs);
  const min = duration(latencyMs.min, 'latencyMs.min', 100);
  const max = duration(latencyMs.max, 'latencyMs.max', 5_000);
  if (min > max) throw invalid('latencyMs', `must have min ≤ max (min is ${min}, max ${max})`);

  const timeoutPhase = checks.oneOf('timeoutPhase', config.timeoutPhase, 'MIXED', ['BEFORE', 'AFTER', 'MIXED']);
  if (config.afterTimeoutShare !== undefined && timeoutPhase !== 'MIXED') {
    throw invalid('afterTimeoutShare', `only applies with timeoutPhase 'MIXED' (timeoutPhase is ${timeoutPhase})`);
  }
  const afterTimeoutShare = config.afterTimeoutShare === undefined ? 0.5 : rate(config.afterTimeoutShare, 'afterTimeoutShare');

  const window = config.intermittentFailureWindow;
  const burst = count(config.intermittentFailureBurst, 'intermittentFailureBurst', 1);
  const intermittentOn = window !== undefined || burst !== undefined;
  const intermittentFailureWindow = intermittentOn ? duration(window, 'intermittentFailureWindow', 10_000, 1) : null;

  const effectiveSeed = config.seed ?? seed;
  checks.integer('seed', effectiveSeed, undefined);

  const maxInjections = count(config.maxInjections, 'maxInjections', 0) ?? null;

  let resourcePool: ResolvedChaosConfig['resourcePool'] = null;
  if (config.resourcePool !== undefined) {
    if (!isObject(config.resourcePool)) throw invalid('resourcePool', 'must be an object { size, acquireTimeoutMs? }', config.resourcePool);
    const size = count(config.resourcePool.size, 'resourcePool.size', 1) as number;
    resourcePool = {
      size,
      acquireTimeoutMs: duration(config.resourcePool.acquireTimeoutMs, 'resourcePool.acquireTimeoutMs', 1_000),
    };
  }

  const failureMode = checks.oneOf('failureMode', config.failureMode, 'THROW', ['THROW', 'RESULT']);
  const operations = config.operations ?? ['charge'];
  if (!Array.isArray(operations)) throw invalid('operations', `must be a list of ${OPERATIONS.join(', ')}`, operations);
  operations.forEach((operation, index) => checks.oneOf(`operations.${index}`, operation, undefined, OPERATIONS));

  return Object.freeze({
    enabled,
    failureRate,
    errorTypes: Object.freeze([...errorTypes]),
    latencyRate: rate(config.latencyRate, 'latencyRate'),
    latencyMs: Object.freeze({ min, max }),
    timeoutRate,
    timeoutMs: duration(config.timeoutMs, 'timeoutMs', 5_000),
    timeoutPhase,
    afterTimeoutShare,
    intermittentFailureWindow,
    intermittentFailureBurst: intermittentOn ? (burst ?? 3) : 0,
    seed: effectiveSeed,
    maxInjections,
    resourcePool: resourcePool === null ? null : Object.freeze(resourcePool),
    failureMode,
    operations: Object.freeze([...new Set(operations)]),
  });
}
