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

/** @internal Checks an untrusted snapshot (it may come from storage or another process). */
export function assertCircuitBreakerSnapshot(value: unknown): asserts value is CircuitBreakerSnapshot {
  if (typeof value !== 'object' || value === null) throw new InvalidSnapshotError('', 'expected an object');
  const s = value as Record<string, unknown>;
  if (s['version'] !== 1) throw new InvalidSnapshotError('version', `unsupported version ${String(s['version'])}, expected 1`);
  if (typeof s['gateway'] !== 'string') throw new InvalidSnapshotError('gateway', 'expected a string');
  if (!CIRCUIT_STATES.includes(s['state'] as CircuitState)) throw new InvalidSnapshotError('state', `unknown state ${String(s['state'])}`);
  if (typeof s['isolated'] !== 'boolean') throw new InvalidSnapshotError('isolated', 'expected a boolean');
  for (const field of ['lastStateChangeAt', 'openUntil', 'currentOpenTimeout'] as const) {
    if (typeof s[field] !== 'number' || !Number.isFinite(s[field])) throw new InvalidSnapshotError(field, 'expected a finite number');
  }
  for (const field of ['halfOpenSuccesses', 'probationCallsLeft', 'consecutiveSuccesses', 'consecutiveFailures', 'openCount', 'totalCalls'] as const) {
    if (!Number.isSafeInteger(s[field]) || (s[field] as number) < 0) throw new InvalidSnapshotError(field, 'expected an integer ≥ 0');
  }
  for (const field of ['halfOpenUntil', 'lastFailureAt'] as const) {
    if (s[field] !== null && (typeof s[field] !== 'number' || !Number.isFinite(s[field]))) {
      throw new InvalidSnapshotError(field, 'expected a finite number or null');
    }
  }
  assertWindow(s['window']);
}

function assertWindow(value: unknown): asserts value is SlidingWindowSnapshot {
  if (typeof value !== 'object' || value === null) throw new InvalidSnapshotError('window', 'expected an object');
  const w = value as Record<string, unknown>;
  const counts = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
  if (w['type'] === 'count') {
    if (!Array.isArray(w['outcomes']) || !w['outcomes'].every((o) => o === 0 || o === 1 || o === 2 || o === 3)) {
      throw new InvalidSnapshotError('window.outcomes', 'expected an array of outcome bits (0–3)');
    }
    return;
  }
  if (w['type'] === 'time') {
    if (!Number.isSafeInteger(w['lastSecond'])) throw new InvalidSnapshotError('window.lastSecond', 'expected an integer');
    const buckets = w['buckets'];
    if (!Array.isArray(buckets) || !buckets.every((b) => Array.isArray(b) && b.length === 3 && b.every(counts) && b[1] <= b[0] && b[2] <= b[0])) {
      throw new InvalidSnapshotError('window.buckets', 'expected [calls, failures, slow] triples of counts');
    }
    return;
  }
  throw new InvalidSnapshotError('window.type', `unknown window type ${String(w['type'])}`);
}
