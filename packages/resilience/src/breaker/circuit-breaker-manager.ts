import { CircuitBreakerEventHub, CircuitBreakerEvents } from './circuit-breaker-events';
import type { CircuitBreakerHealth } from './circuit-breaker-health';
import { resolveCircuitBreakerOptions, type CircuitBreakerOptions } from './circuit-breaker-options';
import { assertCircuitBreakerSnapshot, type CircuitBreakerSnapshot } from './circuit-breaker-snapshot';
import { InvalidSnapshotError } from './circuit-breaker.errors';
import { ATTACH_EVENTS, EnhancedCircuitBreaker } from './enhanced-circuit-breaker';
import { check } from '../resilience-options';

/** Options of {@link CircuitBreakerManager}: the shared breaker defaults plus the manager's own. */
export interface CircuitBreakerManagerOptions extends CircuitBreakerOptions {
  /**
   * Gateways whose breakers exist from the start, so `getHealthyGateways()` lists them before their
   * first call (a gateway nobody has called yet is healthy, not unknown). Defaults to none.
   */
  readonly gateways?: readonly string[];
  /** Per-gateway options over the shared defaults; their gateways also exist from the start. Defaults to none. */
  readonly overrides?: Readonly<Record<string, CircuitBreakerOptions>>;
  /**
   * Whether `getHealthyGateways()` also lists HALF_OPEN gateways with a free probe slot, whatever
   * their score. A recovering gateway scores low (half-open weighs 0.25) and would otherwise never
   * get the probes that close its breaker when routing only uses healthy gateways. Defaults to true.
   */
  readonly includeRecovering?: boolean;
}

/** All the breakers of a manager as plain JSON (`manager.toJSON()`). */
export interface CircuitBreakerManagerSnapshot {
  readonly version: 1;
  readonly breakers: readonly CircuitBreakerSnapshot[];
}

/**
 * One circuit breaker per gateway, created on first use with shared defaults and per-gateway
 * overrides, plus one event stream across all of them (breakers created later included).
 */
export class CircuitBreakerManager extends CircuitBreakerEvents {
  private readonly shared: CircuitBreakerOptions;
  private readonly overrides: Readonly<Record<string, CircuitBreakerOptions>>;
  private readonly includeRecovering: boolean;
  private readonly breakers = new Map<string, EnhancedCircuitBreaker>();
  protected override readonly hub: CircuitBreakerEventHub;

  /** Validates every option now (shared and per gateway), so a bad configuration fails at start-up. */
  constructor(options: CircuitBreakerManagerOptions = {}) {
    super();
    const { gateways = [], overrides = {}, includeRecovering = true, ...shared } = options;
    if (!Array.isArray(gateways)) throw check.invalid('gateways', 'must be an array of gateway names', gateways);
    check.object('overrides', overrides, undefined);
    check.boolean('includeRecovering', includeRecovering, undefined);
    // Spreading a non-object adds nothing: the gateway would silently run on the shared defaults.
    for (const [gateway, override] of Object.entries(overrides)) check.object(`overrides.${gateway}`, override, undefined);
    const resolved = resolveCircuitBreakerOptions(shared);
    this.shared = shared;
    this.overrides = overrides;
    this.includeRecovering = includeRecovering;
    this.hub = new CircuitBreakerEventHub(resolved.onListenerError);
    for (const gateway of [...gateways, ...Object.keys(overrides)]) this.getBreaker(gateway);
  }

  /** The breaker of `gateway`, created on first use with the shared defaults and its overrides. */
  getBreaker(gateway: string): EnhancedCircuitBreaker {
    const existing = this.breakers.get(gateway);
    if (existing !== undefined) return existing;
    const override = Object.prototype.hasOwnProperty.call(this.overrides, gateway) ? this.overrides[gateway] : undefined;
    const breaker = new EnhancedCircuitBreaker(gateway, override === undefined ? this.shared : { ...this.shared, ...override });
    breaker[ATTACH_EVENTS](this.hub);
    this.breakers.set(gateway, breaker);
    return breaker;
  }

  /** Whether a breaker exists for `gateway`. */
  has(gateway: string): boolean {
    return this.breakers.has(gateway);
  }

  /** The gateways with a breaker, in creation order. */
  get gateways(): readonly string[] {
    return [...this.breakers.keys()];
  }

  /** Health of every breaker, keyed by gateway, in creation order. */
  getAllHealth(): Map<string, CircuitBreakerHealth> {
    const all = new Map<string, CircuitBreakerHealth>();
    for (const [gateway, breaker] of this.breakers) all.set(gateway, breaker.getHealth());
    return all;
  }

  /**
   * Gateways whose health score is at least `minScore` (by default each breaker's own
   * `minHealthScore`), plus, with `includeRecovering` (the default), HALF_OPEN gateways that have a
   * free probe slot. Healthiest first; ties keep creation order.
   */
  getHealthyGateways(minScore?: number): string[] {
    if (minScore !== undefined) check.rate('minScore', minScore, undefined);
    const healthy: { gateway: string; score: number }[] = [];
    for (const [gateway, breaker] of this.breakers) {
      const health = breaker.getHealth();
      const threshold = minScore ?? breaker.minHealthScore;
      const recovering = this.includeRecovering && health.circuitState === 'HALF_OPEN' && breaker.isCallPermitted();
      if (health.healthScore >= threshold || recovering) healthy.push({ gateway, score: health.healthScore });
    }
    return healthy.sort((a, b) => b.score - a.score).map((h) => h.gateway);
  }

  /** Resets every breaker (see {@link EnhancedCircuitBreaker.reset}). */
  resetAll(): void {
    for (const breaker of this.breakers.values()) breaker.reset();
  }

  /** Every breaker's snapshot, for {@link restore} here or in another process. */
  toJSON(): CircuitBreakerManagerSnapshot {
    return { version: 1, breakers: [...this.breakers.values()].map((breaker) => breaker.toJSON()) };
  }

  /**
   * Loads snapshots into the breakers of their gateways (creating them as needed). The whole
   * snapshot is checked first: a malformed entry throws {@link InvalidSnapshotError} (its `field`
   * says which, `breakers[2].state`) and leaves every breaker as it was.
   */
  restore(snapshot: CircuitBreakerManagerSnapshot): void {
    if (typeof snapshot !== 'object' || snapshot === null || snapshot.version !== 1 || !Array.isArray(snapshot.breakers)) {
      throw new InvalidSnapshotError('', 'expected { version: 1, breakers: [...] }');
    }
    snapshot.breakers.forEach((breaker, i) => assertCircuitBreakerSnapshot(breaker, `breakers[${i}].`));
    for (const breaker of snapshot.breakers) this.getBreaker(breaker.gateway).restore(breaker);
  }
}
