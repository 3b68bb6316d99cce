import {
  BackgroundLoop,
  CryptoRandom,
  SystemClock,
  type Clock,
  type GatewayType,
  type IdempotencyStore,
  type Payment,
  type PaymentGateway,
  type PaymentRepository,
  type Random,
} from '@aegispay/domain';
import { VersionedPaymentService } from '@aegispay/locking';
import { CircuitBreakerManager, TimeoutPolicy } from '@aegispay/resilience';
import { gatewaysByName } from '../attempt/gateways-by-name';
import { orchestratorOptionChecks, RefundFailedError, RefundRejectedError } from '../errors/orchestrator.errors';
import { PaymentKeys } from '../idempotency/payment-keys';
import { isFinalResult, storedResult } from '../payment/payment-result';
import { ORCHESTRATOR_DEFAULTS, worstCaseProcessingMs } from '../pipeline/payment-orchestrator.options';
import type { PaymentOrchestrator } from '../pipeline/payment-orchestrator';
import { PaymentRefunding } from '../refund/payment-refunding';
import { RefundSender } from '../refund/refund-sender';
import type { OrchestratorErrorReporter } from '../support/orchestrator-error-reporter';
import { PaymentWriter } from '../support/payment-writer';
import { StuckPaymentResolver, type DoubleChargeFinding } from './stuck-payment-resolver';

const checks = orchestratorOptionChecks('PaymentRecovery');

export type { DoubleChargeFinding } from './stuck-payment-resolver';

/** What {@link PaymentRecovery} works with. */
export interface PaymentRecoveryDependencies {
  readonly repository: PaymentRepository;
  /** Every gateway a payment may have been sent to. */
  readonly gateways: readonly PaymentGateway[];
  /** When given, its answers are completed in the idempotency store once a payment is resolved. */
  readonly idempotency?: IdempotencyStore;
  /** Defaults to a service over `repository`. */
  readonly payments?: VersionedPaymentService<Payment>;
  /**
   * The orchestrator whose payments are recovered. When given, `stuckAfterMs` is checked against
   * its worst-case processing time and `maxAttempts` follows its setting.
   */
  readonly orchestrator?: PaymentOrchestrator;
  /** Defaults to `SystemClock`. */
  readonly clock?: Clock;
  /** Defaults to `CryptoRandom`. */
  readonly random?: Random;
}

/** Options of {@link PaymentRecovery}. */
export interface PaymentRecoveryOptions {
  /**
   * A `PROCESSING` payment not updated for this long is treated as stuck (a crash, an unknown
   * outcome). Must exceed the orchestrator's worst-case processing time, or recovery could judge a
   * payment whose charge is still in flight. Defaults to 300 000 ms (5 minutes).
   */
  readonly stuckAfterMs?: number;
  /** A `PENDING` payment not updated for this long was abandoned before processing; it is cancelled. Defaults to `stuckAfterMs`. */
  readonly abandonedAfterMs?: number;
  /** Runs every this many ms once started. Defaults to 30 000 ms. */
  readonly intervalMs?: number;
  /**
   * Payments examined per status per run. A `PROCESSING` payment that could not be resolved waits
   * until every other stuck payment has had its turn, so a batch of payments no gateway can settle
   * yet never hides the rest. Defaults to 100.
   */
  readonly batchSize?: number;
  /** Deadline of each `getStatus` call. Defaults to 5 000 ms. */
  readonly statusTimeoutMs?: number;
  /**
   * Receives what a background run threw (a repository that is down); the loop carries on at the
   * next interval. What it throws itself is dropped: it can neither stop the loop nor surface as
   * an unhandled rejection. Defaults to none.
   */
  readonly onError?: (error: unknown) => void;
}

/** What one recovery run did. */
export interface RecoveryReport {
  /** Stuck payments looked at. */
  readonly examined: number;
  /** Resolved as `PAID`: a gateway had charged them. */
  readonly paid: readonly string[];
  /** Resolved as `FAILED`: declined, or never charged anywhere. */
  readonly failed: readonly string[];
  /** `PENDING` payments abandoned before processing, now `CANCELLED`. */
  readonly cancelled: readonly string[];
  /** Still unknown (a gateway could not answer); tried again next run. */
  readonly unresolved: readonly string[];
  readonly doubleCharges: readonly DoubleChargeFinding[];
  /** Refunds left `PENDING` (their answer lost) that the gateway has now settled: refunded, rejected or never processed. */
  readonly refundsSettled: readonly string[];
  /** Refunds whose gateway still cannot say; asked again next run. */
  readonly refundsUnresolved: readonly string[];
  /** Payments whose recovery threw, with the error's message. */
  readonly errors: readonly { readonly paymentId: string; readonly message: string }[];
}



/**
 * Finishes what a crash, a lost answer or an unfinished gateway left behind:
 *
 * - a `PROCESSING` payment idle for `stuckAfterMs`, and a `REQUIRES_ACTION` one idle as long, is
 *   settled from its gateway ({@link StuckPaymentResolver}): charged → `PAID`, declined → `FAILED`
 *   with the decline, never received past its deadline → `FAILED` (`INTERRUPTED`), a gateway that
 *   cannot say yet (or a customer who has not acted) → left for the next run. Recovery never
 *   starts an attempt;
 * - a refund left `PENDING` for `stuckAfterMs` is settled from its gateway's refund lookup;
 * - a `PENDING` payment idle for `abandonedAfterMs` (stored by an older pipeline, which stored
 *   payments before processing them) never reached a gateway and is cancelled.
 *
 * A payment settled for good completes its idempotency key with its final answer.
 */
export class PaymentRecovery {
  private readonly clock: Clock;
  private readonly writer: PaymentWriter;
  private readonly resolver: StuckPaymentResolver;
  private readonly refunding: PaymentRefunding;
  private readonly refunds: RefundSender;
  private readonly gateways: ReadonlyMap<GatewayType, PaymentGateway>;
  private readonly keys: PaymentKeys | undefined;
  private readonly stuckAfterMs: number;
  private readonly abandonedAfterMs: number;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  /** Stuck payments examined in the current round without being resolved: skipped until the round ends. */
  private readonly deferred = new Set<string>();
  private readonly loop: BackgroundLoop;

  /** @throws OrchestratorConfigurationError for invalid options or a `stuckAfterMs` shorter than the orchestrator's worst case. */
  constructor(
    private readonly deps: PaymentRecoveryDependencies,
    options: PaymentRecoveryOptions = {},
  ) {
    this.clock = deps.clock ?? new SystemClock();
    const payments = deps.payments ?? new VersionedPaymentService<Payment>(deps.repository, { clock: this.clock, random: deps.random ?? new CryptoRandom() });
    this.writer = new PaymentWriter({ repository: deps.repository, payments, clock: this.clock });
    this.gateways = gatewaysByName(deps.gateways, checks, 'recovery asks the gateways payments were sent to');
    checks.optionalFunction('onError', options.onError);
    this.stuckAfterMs = checks.number('stuckAfterMs', options.stuckAfterMs, 300_000, { above: 0 });
    this.abandonedAfterMs = checks.number('abandonedAfterMs', options.abandonedAfterMs, this.stuckAfterMs, { above: 0 });
    this.intervalMs = checks.number('intervalMs', options.intervalMs, 30_000, { above: 0 });
    this.batchSize = checks.integer('batchSize', options.batchSize, 100, { min: 1 });
    const deadline = new TimeoutPolicy(checks.number('statusTimeoutMs', options.statusTimeoutMs, 5_000, { above: 0 }), { clock: this.clock });
    const settings = deps.orchestrator?.settings;
    if (settings !== undefined) {
      const worst = worstCaseProcessingMs(settings);
      if (this.stuckAfterMs <= worst) {
        const problem = `must exceed the orchestrator's worst-case processing time (${worst} ms), or recovery could judge a payment whose charge is still in flight`;
        throw checks.invalid('stuckAfterMs', problem, this.stuckAfterMs);
      }
    }
    const clockSkewMs = settings?.statusCheck.clockSkewMs ?? ORCHESTRATOR_DEFAULTS.statusCheck.clockSkewMs;
    this.resolver = new StuckPaymentResolver({ gateways: this.gateways, writer: this.writer, clock: this.clock, deadline, clockSkewMs });
    // One lookup per run: a refund whose gateway cannot say is asked again next run.
    this.refunds = new RefundSender({
      gateways: this.gateways,
      breakers: new CircuitBreakerManager({ clock: this.clock }),
      clock: this.clock,
      callDeadline: deadline,
      statusDeadline: deadline,
      statusCheck: { attempts: 1, intervalMs: 0, clockSkewMs },
    });
    this.refunding = new PaymentRefunding({
      repository: deps.repository,
      writer: this.writer,
      sender: this.refunds,
      gateways: this.gateways,
      clock: this.clock,
      gatewayTimeoutMs: settings?.gatewayTimeoutMs ?? ORCHESTRATOR_DEFAULTS.gatewayTimeoutMs,
      onError: this.reporter(options.onError),
    });
    this.keys =
      deps.idempotency === undefined
        ? undefined
        : new PaymentKeys({ store: deps.idempotency, repository: deps.repository, clock: this.clock, ttlMs: settings?.idempotencyTtlMs ?? ORCHESTRATOR_DEFAULTS.idempotencyTtlMs, onError: this.reporter(options.onError) });
    this.loop = new BackgroundLoop({
      clock: this.clock,
      intervalMs: this.intervalMs,
      run: async () => void (await this.recoverOnce()),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
  }

  /** True between `start()` and `stop()`. */
  get isRunning(): boolean {
    return this.loop.isRunning;
  }

  /** Runs once now, then every `intervalMs`, until {@link stop}: a `BackgroundLoop`, whose timer never keeps the process alive. */
  start(): void {
    this.loop.start();
  }

  /** Stops the loop and waits for a run in progress to finish. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass over stuck payments, refunds left pending, and abandoned `PENDING` payments. */
  async recoverOnce(): Promise<RecoveryReport> {
    const report: MutableReport = { examined: 0, paid: [], failed: [], cancelled: [], unresolved: [], doubleCharges: [], refundsSettled: [], refundsUnresolved: [], errors: [] };
    const now = this.clock.now();
    for (const payment of await this.stuckPayments(now - this.stuckAfterMs)) {
      report.examined += 1;
      try {
        if (!(await this.resolveStuck(payment, report))) this.deferred.add(payment.id);
      } catch (error) {
        this.deferred.add(payment.id);
        report.errors.push({ paymentId: payment.id, message: messageOf(error) });
      }
    }
    for (const payment of await this.deps.repository.findWithPendingRefunds({ requestedBefore: now - this.stuckAfterMs, limit: this.batchSize })) {
      report.examined += 1;
      await this.settleRefunds(payment, now - this.stuckAfterMs, report);
    }
    const abandoned = await this.deps.repository.findByStatus('PENDING', { updatedBefore: now - this.abandonedAfterMs, limit: this.batchSize });
    for (const payment of abandoned) {
      report.examined += 1;
      try {
        const saved = await this.writer.update(payment.id, SESSION, (current) => {
          if (current.status !== 'PENDING') throw new AlreadyResolved();
          current.cancel('Abandoned: processing never started.');
        });
        report.cancelled.push(saved.id);
        await this.completeKey(saved, 'The payment was abandoned before processing started; nothing was charged.');
      } catch (error) {
        if (!(error instanceof AlreadyResolved)) report.errors.push({ paymentId: payment.id, message: messageOf(error) });
      }
    }
    return report;
  }

  /**
   * The next `batchSize` stuck payments of the current round: those not yet examined in it, oldest
   * first. Once every stuck payment has had its turn, a new round starts from the oldest.
   */
  private async stuckPayments(updatedBefore: number): Promise<readonly Payment[]> {
    const limit = this.batchSize + this.deferred.size;
    const processing = await this.deps.repository.findByStatus('PROCESSING', { updatedBefore, limit });
    const waiting = await this.deps.repository.findByStatus('REQUIRES_ACTION', { updatedBefore, limit });
    const found = [...processing, ...waiting];
    if (processing.length < limit && waiting.length < limit) {
      // Every stuck payment is in view: those deferred but not found were resolved meanwhile.
      const ids = new Set(found.map((payment) => payment.id));
      for (const id of this.deferred) if (!ids.has(id)) this.deferred.delete(id);
    }
    const fresh = found.filter((payment) => !this.deferred.has(payment.id));
    if (fresh.length > 0) return fresh.slice(0, this.batchSize);
    this.deferred.clear();
    return found.slice(0, this.batchSize);
  }

  /** Settles a stuck payment from its gateway; false when it cannot be settled yet (try again later). */
  private async resolveStuck(payment: Payment, report: MutableReport): Promise<boolean> {
    const resolution = await this.resolver.resolve(payment);
    if (resolution.kind === 'ALREADY_RESOLVED') return true;
    if (resolution.doubleCharge !== null) report.doubleCharges.push(resolution.doubleCharge);
    if (resolution.kind === 'UNRESOLVED') {
      report.unresolved.push(payment.id);
      return false;
    }
    const { result } = resolution;
    if (result.outcome === 'SUCCEEDED') report.paid.push(result.paymentId);
    else if (result.outcome === 'DECLINED' || result.outcome === 'FAILED') report.failed.push(result.paymentId);
    else report.unresolved.push(result.paymentId);
    if (isFinalResult(result) && this.keys !== undefined && payment.idempotencyKey !== null) {
      await this.keys.complete({ merchantId: payment.merchantId, key: payment.idempotencyKey, fingerprint: '' }, result);
    }
    return isFinalResult(result);
  }

  /** Looks up each refund of `payment` left `PENDING` since before `requestedBefore`, and applies what its gateway says. */
  private async settleRefunds(payment: Payment, requestedBefore: number, report: MutableReport): Promise<void> {
    for (const refund of payment.refunds) {
      if (refund.status !== 'PENDING' || Date.parse(refund.createdAt) >= requestedBefore) continue;
      const gateway = refund.gateway === null ? undefined : this.gateways.get(refund.gateway);
      if (gateway === undefined) {
        report.refundsUnresolved.push(refund.id);
        continue;
      }
      try {
        const current = (await this.deps.repository.findById(payment.id)) ?? payment;
        const settlement = await this.refunds.lookup(current, refund, gateway);
        const result = await this.refunding.apply(current, refund, settlement, SESSION, false).catch((error: unknown) => {
          // A rejection or a failure is a settlement too: recorded, then reported by the use case as an error.
          if (RefundRejectedError.is(error) || RefundFailedError.is(error)) return null;
          throw error;
        });
        (result === null || result.outcome === 'REFUNDED' ? report.refundsSettled : report.refundsUnresolved).push(refund.id);
      } catch (error) {
        report.errors.push({ paymentId: payment.id, message: messageOf(error) });
      }
    }
  }

  private async completeKey(payment: Payment, reason: string): Promise<void> {
    if (this.keys === undefined || payment.idempotencyKey === null) return;
    const result = storedResult(payment, reason);
    if (result !== null && isFinalResult(result)) await this.keys.complete({ merchantId: payment.merchantId, key: payment.idempotencyKey, fingerprint: '' }, result);
  }

  /** Side-task errors (an idempotency record, a refund settlement that could not be written) go to `onError`. */
  private reporter(onError: ((error: unknown) => void) | undefined): OrchestratorErrorReporter {
    return (error) => onError?.(error);
  }

}

const SESSION = Object.freeze({ requestId: 'recovery', signal: undefined, context: undefined });

/** Thrown inside an update to leave a payment that someone else resolved meanwhile untouched. */
class AlreadyResolved extends Error {}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type MutableReport = {
  examined: number;
  paid: string[];
  failed: string[];
  cancelled: string[];
  unresolved: string[];
  doubleCharges: DoubleChargeFinding[];
  refundsSettled: string[];
  refundsUnresolved: string[];
  errors: { paymentId: string; message: string }[];
};
