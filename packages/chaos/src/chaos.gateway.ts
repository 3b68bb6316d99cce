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
import { ChaosCounters, type ChaosFailure } from './chaos-counters';
import type { ChaosErrorType, ChaosInjectionKind, ChaosOperation } from './chaos-error-type';
import { InjectionListeners, type ChaosInjectionEvent } from './chaos-injection-events';
import { CHARGE_RESULTS, REFUND_RESULTS, REFUND_STATUS_RESULTS, STATUS_RESULTS, type OperationResults } from './chaos-operation-results';
import { ChaosRandom, hashName, mixSeed, pick, type ChaosDice } from './chaos-random';
import type { ChaosScope } from './chaos-scope';
import type { ChaosStats } from './chaos-stats';
import { ChaosInjectedError, ChaosTimeoutError } from './chaos.errors';
import { IntermittentBursts } from './intermittent-bursts';
import { ResourcePool } from './resource-pool';

export type { ChaosInjectionEvent } from './chaos-injection-events';

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
  private readonly listeners: InjectionListeners;
  private readonly counters = new ChaosCounters();
  /** Real calls still running after an `AFTER` timeout released their caller. */
  private readonly background = new Set<Promise<void>>();
  private enabledNow: boolean;

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
    this.listeners = new InjectionListeners(dependencies.onListenerError);
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
    return this.run('charge', request.reference, (s) => this.inner.charge(request, s), signal, CHARGE_RESULTS);
  }

  /** Refunds through the chaos layer (chaos applies when `operations` includes `refund`). */
  refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult> {
    return this.run('refund', request.reference, (s) => this.inner.refund(request, s), signal, REFUND_RESULTS);
  }

  /** Looks a charge up through the chaos layer (chaos applies when `operations` includes `getStatus`). */
  getStatus(query: ChargeStatusQuery, signal?: AbortSignal): Promise<ChargeStatusResult> {
    return this.run('getStatus', query.reference, (s) => this.inner.getStatus(query, s), signal, STATUS_RESULTS);
  }

  /** Looks a refund up through the chaos layer (chaos applies when `operations` includes `getRefundStatus`). */
  getRefundStatus(query: RefundStatusQuery, signal?: AbortSignal): Promise<RefundStatusResult> {
    return this.run('getRefundStatus', query.reference, (s) => this.inner.getRefundStatus(query, s), signal, REFUND_STATUS_RESULTS);
  }

  /**
   * Calls `listener` for every injection, when it is decided. Returns the unsubscribe function.
   * What a listener throws goes to `onListenerError`: it never changes the outcome of a payment call.
   */
  onInjection(listener: (event: ChaosInjectionEvent) => void): () => void {
    return this.listeners.add(listener);
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
    return this.counters.stats({ gateway: this.name, seed: this.seed, enabled: this.enabledNow, pool: this.pool?.getStats() ?? null });
  }

  private hasBudget(): boolean {
    return this.config.maxInjections === null || this.counters.injected < this.config.maxInjections;
  }

  private async run<R>(
    operation: ChaosOperation,
    reference: string,
    call: (signal?: AbortSignal) => Promise<R>,
    signal: AbortSignal | undefined,
    adapter: OperationResults<R>,
  ): Promise<R> {
    this.counters.calls += 1;
    if (!this.enabledNow || !this.config.operations.includes(operation) || !this.hasBudget()) {
      return this.forward(call, signal, adapter);
    }
    const callIndex = this.counters.chaosCalls++;
    // Drawn up front and always in full, so call n gets the same dice whatever calls before it did.
    const dice = this.dice.roll();
    const context = { operation, reference, callIndex };
    if (this.pool === null) return this.inject(context, dice, call, signal, adapter);

    const acquired = await this.pool.acquire(this.config.resourcePool?.acquireTimeoutMs ?? 0, signal);
    if (!acquired) {
      // The budget may have run out while this call waited: then it behaves like the real gateway.
      if (!this.hasBudget()) return this.forward(call, signal, adapter);
      const failure: ChaosFailure = { kind: 'RESOURCE_EXHAUSTION', type: 'RESOURCE_EXHAUSTED' };
      this.counters.failure(failure);
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
    adapter: OperationResults<R>,
  ): Promise<R> {
    const now = this.clock.now();
    const failure = this.decideFailure(dice, now);
    if (failure !== null) {
      this.counters.failure(failure);
      if (failure.kind !== 'CASCADING') this.scope?.recordFailure(this.name, now);
    }

    if (failure?.type === 'TIMEOUT') {
      const after =
        this.config.timeoutPhase === 'AFTER' ||
        (this.config.timeoutPhase === 'MIXED' && dice.phase < this.config.afterTimeoutShare);
      const phase = after ? 'AFTER' : 'BEFORE';
      this.counters.timeoutPhase(phase);
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
        // Its failure, if it fails, is counted by forward() (innerFailures, the cascade scope); its
        // caller has its answer already, as with a response lost on the way back.
        const running: Promise<void> = this.forward(call, signal, adapter).then(
          (result) => {
            if (adapter.isApproved(result)) this.counters.approvedAfterTimeout();
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
      this.counters.latency(delay);
      this.emit(context, 'LATENCY', null, null, delay);
      await this.clock.sleep(delay, signal);
    }

    if (failure !== null) return this.fail(adapter, this.injectedError(context, failure));
    return this.forward(call, signal, adapter);
  }

  private decideFailure(dice: ChaosDice, now: number): ChaosFailure | null {
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

  private injectedError(
    context: { operation: ChaosOperation; reference: string },
    failure: ChaosFailure,
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

  private fail<R>(adapter: OperationResults<R>, error: ChaosInjectedError): R {
    if (this.config.failureMode === 'RESULT') return adapter.toResult(error);
    throw error;
  }

  private async forward<R>(
    call: (signal?: AbortSignal) => Promise<R>,
    signal: AbortSignal | undefined,
    adapter: OperationResults<R>,
  ): Promise<R> {
    this.counters.innerCalls += 1;
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
    this.counters.innerFailures += 1;
    this.scope?.recordFailure(this.name, this.clock.now());
  }

  private emit(
    context: { operation: ChaosOperation; reference: string; callIndex: number },
    kind: ChaosInjectionKind,
    type: ChaosErrorType | null,
    phase: 'BEFORE' | 'AFTER' | null,
    latencyMs: number | null,
  ): void {
    if (!this.listeners.active) return;
    this.listeners.emit({
      gateway: this.name,
      operation: context.operation,
      reference: context.reference,
      kind,
      type,
      phase,
      latencyMs,
      callIndex: context.callIndex,
      at: this.clock.now(),
    });
  }
}
