import type { ChaosErrorType, ChaosInjectionKind } from './chaos-error-type';
import { emptyErrorTypeCounts, type ChaosStats } from './chaos-stats';

/** @internal An injected failure: the mechanism that decided it and how it surfaces. */
export interface ChaosFailure {
  readonly kind: Exclude<ChaosInjectionKind, 'LATENCY'>;
  readonly type: ChaosErrorType;
}

const KIND_COUNTER = {
  ERROR: 'errors',
  TIMEOUT: 'timeouts',
  INTERMITTENT: 'intermittent',
  CASCADING: 'cascading',
  RESOURCE_EXHAUSTION: 'resourceExhaustion',
} as const;

/** @internal The running counters of one `ChaosGateway`, read as {@link ChaosStats}. Injections are counted when decided. */
export class ChaosCounters {
  /** Calls received, all operations. */
  calls = 0;
  /** Calls subject to chaos. */
  chaosCalls = 0;
  /** Calls forwarded to the real gateway. */
  innerCalls = 0;
  /** Real calls that threw or answered a failure. */
  innerFailures = 0;
  private readonly injections = { total: 0, latency: 0, errors: 0, timeouts: 0, intermittent: 0, cascading: 0, resourceExhaustion: 0 };
  private readonly errorTypes = emptyErrorTypeCounts();
  private readonly timeoutPhases = { before: 0, after: 0, afterApproved: 0 };
  private injectedLatencyMs = 0;

  /** Injections so far, latency included (what `maxInjections` caps). */
  get injected(): number {
    return this.injections.total;
  }

  failure(failure: ChaosFailure): void {
    this.injections.total += 1;
    this.errorTypes[failure.type] += 1;
    this.injections[KIND_COUNTER[failure.kind]] += 1;
  }

  latency(delayMs: number): void {
    this.injections.total += 1;
    this.injections.latency += 1;
    this.injectedLatencyMs += delayMs;
  }

  timeoutPhase(phase: 'BEFORE' | 'AFTER'): void {
    if (phase === 'AFTER') this.timeoutPhases.after += 1;
    else this.timeoutPhases.before += 1;
  }

  /** An `AFTER` timeout whose real charge was approved. */
  approvedAfterTimeout(): void {
    this.timeoutPhases.afterApproved += 1;
  }

  /** A JSON-safe copy, with the gateway's identity and pool. */
  stats(identity: Pick<ChaosStats, 'gateway' | 'seed' | 'enabled' | 'pool'>): ChaosStats {
    return {
      gateway: identity.gateway,
      seed: identity.seed,
      enabled: identity.enabled,
      calls: this.calls,
      chaosCalls: this.chaosCalls,
      injections: { ...this.injections },
      errorTypes: { ...this.errorTypes },
      timeoutPhases: { ...this.timeoutPhases },
      injectedLatencyMs: this.injectedLatencyMs,
      innerCalls: this.innerCalls,
      innerFailures: this.innerFailures,
      pool: identity.pool,
    };
  }
}
