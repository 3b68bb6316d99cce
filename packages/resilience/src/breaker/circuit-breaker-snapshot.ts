import { CIRCUIT_STATES, type CircuitState } from './circuit-state';
import { InvalidSnapshotError } from './circuit-breaker.errors';
import type { SlidingWindowSnapshot } from './sliding-window';

/**
 * A breaker's state as plain JSON (`breaker.toJSON()`), to persist it or share it between
 * processes and load it with `restore()`. Times are clock epoch ms.
 */
export interface CircuitBreakerSnapshot {
  readonly version: 1;
  readonly gateway: string;
  readonly state: CircuitState;
  readonly isolated: boolean;
  readonly lastStateChangeAt: number;
  /** When an OPEN breaker lets probes through (ignored while isolated). */
  readonly openUntil: number;
  /** When a HALF_OPEN breaker gives up on its probes; null until the first probe. */
  readonly halfOpenUntil: number | null;
  /** The open timeout in force (differs from `openTimeout` under adaptive backoff). */
  readonly currentOpenTimeout: number;
  readonly halfOpenSuccesses: number;
  readonly probationCallsLeft: number;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
  readonly openCount: number;
  readonly totalCalls: number;
  readonly lastFailureAt: number | null;
  readonly window: SlidingWindowSnapshot;
}

/**
 * @internal Checks an untrusted snapshot (it may come from storage or another process). `path`
 * prefixes the field named by the error (`breakers[2].`, for a manager snapshot).
 */
export function assertCircuitBreakerSnapshot(value: unknown, path = ''): asserts value is CircuitBreakerSnapshot {
  const fail = (field: string, message: string): InvalidSnapshotError => new InvalidSnapshotError(`${path}${field}`, message);
  if (typeof value !== 'object' || value === null) throw fail('', 'expected an object');
  const s = value as Record<string, unknown>;
  if (s['version'] !== 1) throw fail('version', `unsupported version ${String(s['version'])}, expected 1`);
  if (typeof s['gateway'] !== 'string' || s['gateway'].trim() === '') throw fail('gateway', 'expected a non-empty string');
  if (!CIRCUIT_STATES.includes(s['state'] as CircuitState)) throw fail('state', `unknown state ${String(s['state'])}`);
  if (typeof s['isolated'] !== 'boolean') throw fail('isolated', 'expected a boolean');
  // isolate() always leaves the breaker OPEN: an isolated breaker in another state would let calls through.
  if (s['isolated'] && s['state'] !== 'OPEN') throw fail('isolated', `an isolated breaker is OPEN, not ${String(s['state'])}`);
  for (const field of ['lastStateChangeAt', 'openUntil', 'currentOpenTimeout'] as const) {
    if (typeof s[field] !== 'number' || !Number.isFinite(s[field])) throw fail(field, 'expected a finite number');
  }
  for (const field of ['halfOpenSuccesses', 'probationCallsLeft', 'consecutiveSuccesses', 'consecutiveFailures', 'openCount', 'totalCalls'] as const) {
    if (!Number.isSafeInteger(s[field]) || (s[field] as number) < 0) throw fail(field, 'expected an integer ≥ 0');
  }
  for (const field of ['halfOpenUntil', 'lastFailureAt'] as const) {
    if (s[field] !== null && (typeof s[field] !== 'number' || !Number.isFinite(s[field]))) {
      throw fail(field, 'expected a finite number or null');
    }
  }
  assertWindow(s['window'], fail);
}

function assertWindow(value: unknown, fail: (field: string, message: string) => InvalidSnapshotError): asserts value is SlidingWindowSnapshot {
  if (typeof value !== 'object' || value === null) throw fail('window', 'expected an object');
  const w = value as Record<string, unknown>;
  const counts = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
  if (w['type'] === 'count') {
    if (!Array.isArray(w['outcomes']) || !w['outcomes'].every((o) => o === 0 || o === 1 || o === 2 || o === 3)) {
      throw fail('window.outcomes', 'expected an array of outcome bits (0–3)');
    }
    return;
  }
  if (w['type'] === 'time') {
    if (!Number.isSafeInteger(w['lastSecond'])) throw fail('window.lastSecond', 'expected an integer');
    const buckets = w['buckets'];
    if (!Array.isArray(buckets) || !buckets.every((b) => Array.isArray(b) && b.length === 3 && b.every(counts) && b[1] <= b[0] && b[2] <= b[0])) {
      throw fail('window.buckets', 'expected [calls, failures, slow] triples of counts');
    }
    return;
  }
  throw fail('window.type', `unknown window type ${String(w['type'])}`);
}
