import {
  CryptoRandom,
  SystemClock,
  ValidationError,
  type ChargeRequest,
  type ChargeResult,
  type ChargeStatusQuery,
  type ChargeStatusResult,
  type Clock,
  type GatewayType,
  type PaymentGateway,
  type Random,
  type RefundRequest,
  type RefundResult,
  type RefundStatusQuery,
  type RefundStatusResult,
} from '@aegispay/domain';
import { resolveChaosConfig, type ChaosConfig, type ResolvedChaosConfig } from './chaos-config';
import type { ChaosErrorType, ChaosInjectionKind, ChaosOperation } from './chaos-error-type';
import { ChaosRandom, hashName, mixSeed, pick, type ChaosDice } from './chaos-random';
import type { ChaosScope } from './chaos-scope';
import { emptyErrorTypeCounts, type ChaosStats } from './chaos-stats';
import { ChaosInjectedError, ChaosTimeoutError } from './chaos.errors';
import { IntermittentBursts } from './intermittent-bursts';
import { ResourcePool } from './resource-pool';

/** Collaborators of a {@link ChaosGateway}. */
export interface ChaosGatewayDependencies {
  /** Time for latency, timeouts, pool waits and windows. Defaults to the system clock; pass a `VirtualClock` for experiments on virtual time. */
  readonly clock?: Clock;
  /** Shared scope for cascading failures; without one, no cascades. */
  readonly scope?: ChaosScope;
  /** Only used to draw a seed when the config has none. Defaults to `CryptoRandom`. */
  readonly random?: Random;
  /**
   * Receives what an `onInjection` listener threw (the payment call goes on regardless). What it
   * throws itself is dropped. Defaults to none.
   */
  readonly onListenerError?: (error: unknown) => void;
}

/** One injection, as reported to {@link ChaosGateway.onInjection} listeners. */
export interface ChaosInjectionEvent {
  readonly gateway: string;
  readonly operation: ChaosOperation;
  readonly reference: string;
  readonly kind: ChaosInjectionKind;
  /** How the failure surfaces; `null` for latency. */
  readonly type: ChaosErrorType | null;
  /** For timeouts, whether the real gateway was called; else `null`. */
  readonly phase: 'BEFORE' | 'AFTER' | null;
  /** For latency, the delay in ms; else `null`. */
  readonly latencyMs: number | null;
  /** Index of the call among the calls subject to chaos, from 0: equal across replays of a seed. */
  readonly callIndex: number;
  /** When the injection was decided, epoch ms of the gateway's clock. */
  readonly at: number;
}

interface Failure {
  readonly kind: Exclude<ChaosInjectionKind, 'LATENCY'>;
  readonly type: ChaosErrorType;
}

/** How one operation's results are read and how injected failures become results. */
interface OperationAdapter<R> {
  isFailure(result: R): boolean;
  isApproved(result: R): boolean;
  toResult(error: ChaosInjectedError): R;
}

const CHARGE: OperationAdapter<ChargeResult> = {
  isFailure: (result) => result.outcome === 'TECHNICAL_FAILURE' || result.outcome === 'UNKNOWN',
  isApproved: (result) => result.outcome === 'APPROVED',
  toResult: (error) => unknownOrTechnicalFailure(error),
};

const REFUND: OperationAdapter<RefundResult> = {
  isFailure: (result) => result.outcome === 'TECHNICAL_FAILURE' || result.outcome === 'UNKNOWN',
  isApproved: () => false,
  toResult: (error) => unknownOrTechnicalFailure(error),
};

const STATUS: OperationAdapter<ChargeStatusResult> = {
  isFailure: (result) => result.status === 'UNKNOWN',
  isApproved: () => false,
  toResult: (error) => ({ status: 'UNKNOWN', reason: error.message }),
};

const REFUND_STATUS: OperationAdapter<RefundStatusResult> = {
  isFailure: (result) => result.status === 'UNKNOWN',
  isApproved: () => false,
  toResult: (error) => ({ status: 'UNKNOWN', reason: error.message }),
};

function unknownOrTechnicalFailure(
  error: ChaosInjectedError,
): { outcome: 'UNKNOWN'; reason: string } | { outcome: 'TECHNICAL_FAILURE'; errorCode: string; retryable: true; message: string } {
  return !error.mayHaveBeenSent
    ? { outcome: 'TECHNICAL_FAILURE', errorCode: `CHAOS_${error.type}`, retryable: true, message: error.message }
    : { outcome: 'UNKNOWN', reason: error.message };
}

/**
 * Wraps a real {@link PaymentGateway} and injects failures into its calls: latency, errors,
 * timeouts (before or after the real call), intermittent bursts, cascades through a shared
 * {@link ChaosScope}, and connection-pool exhaustion. Seeded: the same seed, gateway name and
 * sequence of calls give the same injections. All waiting goes through the `Clock`.
 *
 * The wrapper forwards requests unchanged (same reference), calls the real gateway at most once
 * per call, and never refunds or retries on its own: an `AFTER` timeout leaves the real charge in
 * place, exactly as a lost response would.
 */
export class ChaosGateway implements PaymentGateway {
  readonly name: GatewayType;
  /** The seed of this gateway's random stream (from the config, or drawn when it had none). */
  readonly seed: number;
  private readonly config: ResolvedChaosConfig;
  private readonly clock: Clock;
  private readonly scope: ChaosScope | null;
  private readonly dice: ChaosRandom;
  private readonly bursts: IntermittentBursts | null;
  private readonly pool: ResourcePool | null;
  private readonly listeners = new Set<(event: ChaosInjectionEvent) => void>();
  private readonly onListenerError: ((error: unknown) => void) | undefined;
  /** Real calls still running after an `AFTER` timeout released their caller. */
  private readonly background = new Set<Promise<void>>();
  private enabledNow: boolean;

  private calls = 0;
  private chaosCalls = 0;
  private readonly injections = { total: 0, latency: 0, errors: 0, timeouts: 0, intermittent: 0, cascading: 0, resourceExhaustion: 0 };
  private readonly errorTypes = emptyErrorTypeCounts();
  private readonly timeoutPhases = { before: 0, after: 0, afterApproved: 0 };
  private injectedLatencyMs = 0;
  private innerCalls = 0;
  private innerFailures = 0;

  /**
   * @param inner the real gateway; its `name` becomes this gateway's name.
   * @throws ValidationError `CHAOS.INVALID_CONFIG` naming the offending field, `CHAOS.INVALID_GATEWAY`
   *   when `inner` is not a `PaymentGateway`.
   */
  constructor(
    readonly inner: PaymentGateway,
    config: ChaosConfig = {},
    dependencies: ChaosGatewayDependencies = {},
  ) {
    if (
      typeof inner !== 'object' ||
      inner === null ||
      typeof inner.name !== 'string' ||
      inner.name === '' ||
      (['charge', 'refund', 'getStatus', 'getRefundStatus'] as const).some((method) => typeof inner[method] !== 'function')
    ) {
      throw new ValidationError('CHAOS.INVALID_GATEWAY', 'realGateway', 'ChaosGateway wraps a PaymentGateway: an object with a name, charge(), getStatus(), refund() and getRefundStatus().');
    }
    this.name = inner.name;
    this.clock = dependencies.clock ?? new SystemClock();
    this.onListenerError = dependencies.onListenerError;
    const fallbackSeed =
      config?.seed === undefined ? Math.floor((dependencies.random ?? new CryptoRandom()).next() * 0x1_0000_0000) : 0;
    this.config = resolveChaosConfig(config, fallbackSeed);
    this.seed = this.config.seed;
    this.enabledNow = this.config.enabled;
    const streamSeed = mixSeed(this.seed, hashName(inner.name));
    this.dice = new ChaosRandom(streamSeed);
    this.bursts =
      this.config.intermittentFailureWindow === null
        ? null
        : new IntermittentBursts(
            this.config.intermittentFailureWindow,
            this.config.intermittentFailureBurst,
            this.clock.now(),
            streamSeed,
          );
    this.pool = this.config.resourcePool === null ? null : new ResourcePool(this.config.resourcePool.size, this.clock);
    this.scope = dependencies.scope ?? null;
    this.scope?.register(inner.name);
  }

  /** Whether chaos is being injected now. */
  get enabled(): boolean {
    return this.enabledNow;
  }

  /** Starts injecting (again). Calls already running keep what they were given. */
  enable(): void {
    this.enabledNow = true;
  }

  /** Stops injecting: new calls go straight to the real gateway. */
  disable(): void {
    this.enabledNow = false;
  }

  /** The configuration in use, every default applied (JSON-safe). */
  getConfig(): ResolvedChaosConfig {
    return this.config;
  }

  /** Charges through the chaos layer. */
  charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult> {
    return this.run('charge', request.reference, (s) => this.inner.charge(request, s), signal, CHARGE);
  }

  /** Refunds through the chaos layer (chaos applies when `operations` includes `refund`). */
  refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult> {
    return this.run('refund', request.reference, (s) => this.inner.refund(request, s), signal, REFUND);
  }

  /** Looks a charge up through the chaos layer (chaos applies when `operations` includes `getStatus`). */
  getStatus(query: ChargeStatusQuery, signal?: AbortSignal): Promise<ChargeStatusResult> {
    return this.run('getStatus', query.reference, (s) => this.inner.getStatus(query, s), signal, STATUS);
  }

  /** Looks a refund up through the chaos layer (chaos applies when `operations` includes `getRefundStatus`). */
  getRefundStatus(query: RefundStatusQuery, signal?: AbortSignal): Promise<RefundStatusResult> {
    return this.run('getRefundStatus', query.reference, (s) => this.inner.getRefundStatus(query, s), signal, REFUND_STATUS);
  }

  /**
   * Calls `listener` for every injection, when it is decided. Returns the unsubscribe function.
   * What a listener throws goes to `onListenerError`: it never changes the outcome of a payment call.
   */
  onInjection(listener: (event: ChaosInjectionEvent) => void): () => void {
    if (typeof listener !== 'function') throw new ValidationError('CHAOS.INVALID_LISTENER', 'listener', 'onInjection needs a function (event) => void.');
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Resolves once every real call that an `AFTER` timeout left running has settled (at once when
   * none is). Await it before checking invariants: such a call may still charge after its caller
   * was told it timed out. The experiment orchestrator does this for the experiment's `gateways`.
   */
  async whenIdle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /**
   * A JSON-safe snapshot of the counters. Injections are counted when decided, so a call the
   * caller aborted during an injected delay or timeout still counts.
   */
  getStats(): ChaosStats {
    return {
      gateway: this.name,
      seed: this.seed,
      enabled: this.enabledNow,
      calls: this.calls,
      chaosCalls: this.chaosCalls,
      injections: { ...this.injections },
      errorTypes: { ...this.errorTypes },
      timeoutPhases: { ...this.timeoutPhases },
      injectedLatencyMs: this.injectedLatencyMs,
      innerCalls: this.innerCalls,
      innerFailures: this.innerFailures,
      pool: this.pool?.getStats() ?? null,
    };
  }

  private hasBudget(): boolean {
    return this.config.maxInjections === null || this.injections.total < this.config.maxInjections;
  }

  private async run<R>(
    operation: ChaosOperation,
    reference: string,
    call: (signal?: AbortSignal) => Promise<R>,
    signal: AbortSignal | undefined,
    adapter: OperationAdapter<R>,
  ): Promise<R> {
    this.calls += 1;
    if (!this.enabledNow || !this.config.operations.includes(operation) || !this.hasBudget()) {
      return this.forward(call, signal, adapter);
    }
    const callIndex = this.chaosCalls++;
    // Drawn up front and always in full, so call n gets the same dice whatever calls before it did.
    const dice = this.dice.roll();
    const context = { operation, reference, callIndex };
    if (this.pool === null) return this.inject(context, dice, call, signal, adapter);

    const acquired = await this.pool.acquire(this.config.resourcePool?.acquireTimeoutMs ?? 0, signal);
    if (!acquired) {
      // The budget may have run out while this call waited: then it behaves like the real gateway.
      if (!this.hasBudget()) return this.forward(call, signal, adapter);
      const failure: Failure = { kind: 'RESOURCE_EXHAUSTION', type: 'RESOURCE_EXHAUSTED' };
      this.count(failure);
      this.scope?.recordFailure(this.name, this.clock.now());
      this.emit(context, failure.kind, failure.type, null, null);
      return this.fail(adapter, this.injectedError(context, failure));
    }
    try {
      return await this.inject(context, dice, call, signal, adapter);
    } finally {
      this.pool.release();
    }
  }

  private async inject<R>(
    context: { operation: ChaosOperation; reference: string; callIndex: number },
    dice: ChaosDice,
    call: (signal?: AbortSignal) => Promise<R>,
    signal: AbortSignal | undefined,
    adapter: OperationAdapter<R>,
  ): Promise<R> {
    const now = this.clock.now();
    const failure = this.decideFailure(dice, now);
    if (failure !== null) {
      this.count(failure);
      if (failure.kind !== 'CASCADING') this.scope?.recordFailure(this.name, now);
    }

    if (failure?.type === 'TIMEOUT') {
      const after =
        this.config.timeoutPhase === 'AFTER' ||
        (this.config.timeoutPhase === 'MIXED' && dice.phase < this.config.afterTimeoutShare);
      const phase = after ? 'AFTER' : 'BEFORE';
      if (after) this.timeoutPhases.after += 1;
      else this.timeoutPhases.before += 1;
      this.emit(context, failure.kind, 'TIMEOUT', phase, null);
      const error = new ChaosTimeoutError({
        kind: failure.kind,
        gateway: this.name,
        operation: context.operation,
        reference: context.reference,
        phase,
        timeoutMs: this.config.timeoutMs,
      });
      if (after) {
        // The real call goes out now and runs to completion whatever the caller sees.
        const running: Promise<void> = this.forward(call, signal, adapter).then(
          (result) => {
            if (adapter.isApproved(result)) this.timeoutPhases.afterApproved += 1;
          },
          () => undefined,
        );
        this.background.add(running);
        void running.finally(() => this.background.delete(running));
      }
      await this.clock.sleep(this.config.timeoutMs, signal);
      return this.fail(adapter, error);
    }

    if (failure !== null) this.emit(context, failure.kind, failure.type, null, null);

    if (dice.latency < this.config.latencyRate && this.hasBudget()) {
      const { min, max } = this.config.latencyMs;
      const delay = Math.min(max, min + Math.floor(dice.latencyAmount * (max - min + 1)));
      this.injections.total += 1;
      this.injections.latency += 1;
      this.injectedLatencyMs += delay;
      this.emit(context, 'LATENCY', null, null, delay);
      await this.clock.sleep(delay, signal);
    }

    if (failure !== null) return this.fail(adapter, this.injectedError(context, failure));
    return this.forward(call, signal, adapter);
  }

  private decideFailure(dice: ChaosDice, now: number): Failure | null {
    if (!this.hasBudget()) return null;
    const { timeoutRate, failureRate, errorTypes } = this.config;
    if (this.bursts?.claim(now) === true) return { kind: 'INTERMITTENT', type: pick(errorTypes, dice.errorType) };
    const boost = this.scope === null ? 0 : Math.min(this.scope.boostFor(this.name, now), 1 - timeoutRate - failureRate);
    const u = dice.failure;
    if (u < timeoutRate) return { kind: 'TIMEOUT', type: 'TIMEOUT' };
    if (u < timeoutRate + failureRate) return { kind: 'ERROR', type: pick(errorTypes, dice.errorType) };
    if (u < timeoutRate + failureRate + boost) return { kind: 'CASCADING', type: pick(errorTypes, dice.errorType) };
    return null;
  }

  private count(failure: Failure): void {
    this.injections.total += 1;
    this.errorTypes[failure.type] += 1;
    switch (failure.kind) {
      case 'ERROR':
        this.injections.errors += 1;
        break;
      case 'TIMEOUT':
        this.injections.timeouts += 1;
        break;
      case 'INTERMITTENT':
        this.injections.intermittent += 1;
        break;
      case 'CASCADING':
        this.injections.cascading += 1;
        break;
      case 'RESOURCE_EXHAUSTION':
        this.injections.resourceExhaustion += 1;
        break;
    }
  }

  private injectedError(
    context: { operation: ChaosOperation; reference: string },
    failure: Failure,
  ): ChaosInjectedError {
    return new ChaosInjectedError({
      type: failure.type,
      kind: failure.kind,
      gateway: this.name,
      operation: context.operation,
      reference: context.reference,
      mayHaveBeenSent: false,
    });
  }

  private fail<R>(adapter: OperationAdapter<R>, error: ChaosInjectedError): R {
    if (this.config.failureMode === 'RESULT') return adapter.toResult(error);
    throw error;
  }

  private async forward<R>(
    call: (signal?: AbortSignal) => Promise<R>,
    signal: AbortSignal | undefined,
    adapter: OperationAdapter<R>,
  ): Promise<R> {
    this.innerCalls += 1;
    try {
      const result = await call(signal);
      if (adapter.isFailure(result)) this.observeRealFailure();
      return result;
    } catch (error) {
      this.observeRealFailure();
      throw error;
    }
  }

  private observeRealFailure(): void {
    this.innerFailures += 1;
    this.scope?.recordFailure(this.name, this.clock.now());
  }

  private emit(
    context: { operation: ChaosOperation; reference: string; callIndex: number },
    kind: ChaosInjectionKind,
    type: ChaosErrorType | null,
    phase: 'BEFORE' | 'AFTER' | null,
    latencyMs: number | null,
  ): void {
    if (this.listeners.size === 0) return;
    const event: ChaosInjectionEvent = {
      gateway: this.name,
      operation: context.operation,
      reference: context.reference,
      kind,
      type,
      phase,
      latencyMs,
      callIndex: context.callIndex,
      at: this.clock.now(),
    };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        try {
          this.onListenerError?.(error);
        } catch {
          // The error reporter is the last channel; a payment call must not fail for it.
        }
      }
    }
  }
}
