import {
  BackgroundLoop,
  CryptoRandom,
  SystemClock,
  type ChargeStatusResult,
  type Clock,
  type GatewayType,
  type IdempotencyStore,
  type Payment,
  type PaymentGateway,
  type PaymentRepository,
  type Random,
} from '@aegispay/domain';
import { VersionedPaymentService } from '@aegispay/locking';
import { TimeoutPolicy } from '@aegispay/resilience';
import { OrchestratorConfigurationError } from '../errors/orchestrator.errors';
import { gatewaysByName } from '../pipeline/gateways-by-name';
import { worstCaseProcessingMs } from '../pipeline/payment-orchestrator.options';
import { paymentResultJson, paymentResultOf, type PaymentOutcome } from '../pipeline/payment-result';
import type { PaymentOrchestrator } from '../pipeline/payment-orchestrator';

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

/** A payment recovery found charged more than once (which the pipeline is built never to do). */
export interface DoubleChargeFinding {
  readonly paymentId: string;
  readonly charges: readonly { readonly gateway: GatewayType; readonly reference: string; readonly gatewayReference: string }[];
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
  /** Payments whose recovery threw, with the error's message. */
  readonly errors: readonly { readonly paymentId: string; readonly message: string }[];
}

interface Probe {
  readonly gateway: GatewayType;
  readonly reference: string;
}

/** Thrown inside an update to leave a payment that someone else resolved meanwhile untouched. */
class AlreadyResolved extends Error {}

/**
 * Finishes payments a crash or an unknown outcome left behind.
 *
 * A `PROCESSING` payment idle for `stuckAfterMs` is resolved from the gateways themselves: every
 * attempt recorded with an unknown outcome is looked up with `getStatus` on its gateway, and the
 * one reference that may have been sent without being recorded (`<paymentId>:<attempts + 1>`: the
 * pipeline records each attempt before making the next) is looked up on every gateway. A charge
 * found makes the payment `PAID`; a decline or "never received" everywhere makes it `FAILED`;
 * a gateway that cannot answer leaves it for the next run. Nothing is ever charged by recovery.
 * `PENDING` payments idle for `abandonedAfterMs` never reached a gateway (the pipeline stores
 * `PROCESSING` before the first call) and are cancelled.
 */
export class PaymentRecovery {
  private readonly clock: Clock;
  private readonly payments: VersionedPaymentService<Payment>;
  private readonly gateways: ReadonlyMap<GatewayType, PaymentGateway>;
  private readonly deadline: TimeoutPolicy;
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
    this.payments = deps.payments ?? new VersionedPaymentService<Payment>(deps.repository, { clock: this.clock, random: deps.random ?? new CryptoRandom() });
    this.gateways = gatewaysByName(deps.gateways, 'Recovery needs the gateways payments were sent to.');
    if (options.onError !== undefined && typeof options.onError !== 'function') {
      throw new OrchestratorConfigurationError('onError', `onError must be a function, got ${typeof options.onError}.`);
    }
    this.stuckAfterMs = positive('stuckAfterMs', options.stuckAfterMs ?? 300_000);
    this.abandonedAfterMs = positive('abandonedAfterMs', options.abandonedAfterMs ?? this.stuckAfterMs);
    this.intervalMs = positive('intervalMs', options.intervalMs ?? 30_000);
    this.batchSize = positive('batchSize', options.batchSize ?? 100);
    if (!Number.isInteger(this.batchSize)) throw new OrchestratorConfigurationError('batchSize', 'batchSize must be an integer.');
    this.deadline = new TimeoutPolicy(positive('statusTimeoutMs', options.statusTimeoutMs ?? 5_000), { clock: this.clock });
    if (deps.orchestrator !== undefined) {
      const worst = worstCaseProcessingMs(deps.orchestrator.settings);
      if (this.stuckAfterMs <= worst) {
        throw new OrchestratorConfigurationError(
          'stuckAfterMs',
          `stuckAfterMs (${this.stuckAfterMs} ms) must exceed the orchestrator's worst-case processing time (${worst} ms), or recovery could judge a payment whose charge is still in flight.`,
        );
      }
    }
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

  /** One pass over stuck `PROCESSING` and abandoned `PENDING` payments. */
  async recoverOnce(): Promise<RecoveryReport> {
    const report: MutableReport = { examined: 0, paid: [], failed: [], cancelled: [], unresolved: [], doubleCharges: [], errors: [] };
    const now = this.clock.now();
    const stuck = await this.stuckPayments(now - this.stuckAfterMs);
    for (const payment of stuck) {
      report.examined += 1;
      try {
        if (!(await this.resolveProcessing(payment, report))) this.deferred.add(payment.id);
      } catch (error) {
        if (!(error instanceof AlreadyResolved)) {
          this.deferred.add(payment.id);
          report.errors.push({ paymentId: payment.id, message: error instanceof Error ? error.message : String(error) });
        }
      }
    }
    const abandoned = await this.deps.repository.findByStatus('PENDING', { updatedBefore: now - this.abandonedAfterMs, limit: this.batchSize });
    for (const payment of abandoned) {
      report.examined += 1;
      try {
        const saved = await this.payments.update(payment.id, (current) => {
          if (current.status !== 'PENDING') throw new AlreadyResolved();
          current.cancel('Abandoned: processing never started.');
        });
        report.cancelled.push(saved.id);
        await this.completeKey(saved, 'FAILED', 'ABANDONED', 'The payment was abandoned before processing started; nothing was charged.');
      } catch (error) {
        if (!(error instanceof AlreadyResolved)) report.errors.push({ paymentId: payment.id, message: error instanceof Error ? error.message : String(error) });
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
    const found = await this.deps.repository.findByStatus('PROCESSING', { updatedBefore, limit });
    if (found.length < limit) {
      // Every stuck payment is in view: those deferred but not found were resolved meanwhile.
      const ids = new Set(found.map((payment) => payment.id));
      for (const id of this.deferred) if (!ids.has(id)) this.deferred.delete(id);
    }
    const fresh = found.filter((payment) => !this.deferred.has(payment.id));
    if (fresh.length > 0) return fresh.slice(0, this.batchSize);
    this.deferred.clear();
    return found.slice(0, this.batchSize);
  }

  /** Resolves a stuck payment from the gateways; false when one of them could not answer (try again later). */
  private async resolveProcessing(payment: Payment, report: MutableReport): Promise<boolean> {
    const probes = this.probesFor(payment);
    const answers = await Promise.all(probes.map(async (probe) => ({ probe, status: await this.statusOf(probe) })));

    const approvals = answers.filter((answer) => answer.status.status === 'APPROVED');
    if (approvals.length > 1) {
      report.doubleCharges.push({
        paymentId: payment.id,
        charges: approvals.map(({ probe, status }) => ({ ...probe, gatewayReference: (status as { gatewayReference: string }).gatewayReference })),
      });
    }
    const approved = approvals[0];
    if (approved !== undefined && approved.status.status === 'APPROVED') {
      const gatewayReference = approved.status.gatewayReference;
      const saved = await this.payments.update(payment.id, (current) => {
        if (current.status !== 'PROCESSING') throw new AlreadyResolved();
        current.recordAttempt({ gateway: approved.probe.gateway, reference: approved.probe.reference, outcome: 'APPROVED', latencyMs: 0, gatewayReference });
        current.markSucceeded({ gateway: approved.probe.gateway, gatewayReference });
      });
      report.paid.push(saved.id);
      await this.completeKey(saved, 'SUCCEEDED', null, `Approved by ${approved.probe.gateway} (outcome recovered).`);
      return true;
    }
    if (answers.some((answer) => answer.status.status === 'PENDING' || answer.status.status === 'UNKNOWN')) {
      report.unresolved.push(payment.id);
      return false;
    }
    const declined = answers.find((answer) => answer.status.status === 'DECLINED');
    const saved = await this.payments.update(payment.id, (current) => {
      if (current.status !== 'PROCESSING') throw new AlreadyResolved();
      if (declined !== undefined && declined.status.status === 'DECLINED') {
        const { declineCode, declineType } = declined.status;
        current.recordAttempt({ gateway: declined.probe.gateway, reference: declined.probe.reference, outcome: 'DECLINED', latencyMs: 0, declineCode, declineType });
        current.markFailed({ code: declineCode, reason: `${declineType.toLowerCase()} decline (outcome recovered)`, gateway: declined.probe.gateway });
      } else {
        current.markFailed({ code: 'INTERRUPTED', reason: 'Processing was interrupted before any gateway charged the payment.' });
      }
    });
    report.failed.push(saved.id);
    const code = saved.failureCode ?? 'INTERRUPTED';
    await this.completeKey(saved, declined === undefined ? 'FAILED' : 'DECLINED', code, saved.failureReason ?? code);
    return true;
  }

  /** Attempts recorded with an unknown outcome, and the one attempt that may have gone unrecorded, on every gateway. */
  private probesFor(payment: Payment): Probe[] {
    // An attempt on a gateway this recovery was not given is probed too: it answers UNKNOWN, which
    // leaves the payment unresolved rather than failing one that gateway may have charged.
    const probes: Probe[] = payment.attempts
      .filter((attempt) => attempt.outcome === 'UNKNOWN')
      .map((attempt) => ({ gateway: attempt.gateway, reference: attempt.reference }));
    // The pipeline stores each attempt before the next, so at most this one can be unrecorded. It is
    // probed even after an unknown outcome (where the pipeline stops), so that a charge made by
    // anything else is found and reported rather than trusted away.
    const reference = `${payment.id}:${payment.attempts.length + 1}`;
    for (const gateway of this.gateways.keys()) probes.push({ gateway, reference });
    return probes;
  }

  private async statusOf(probe: Probe): Promise<ChargeStatusResult> {
    const gateway = this.gateways.get(probe.gateway);
    if (gateway === undefined) return { status: 'UNKNOWN', reason: `no gateway named "${probe.gateway}" was given to recovery` };
    try {
      return await this.deadline.execute(({ signal }) => gateway.getStatus({ reference: probe.reference }, signal));
    } catch (error) {
      return { status: 'UNKNOWN', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  private async completeKey(payment: Payment, outcome: PaymentOutcome, code: string | null, reason: string): Promise<void> {
    const store = this.deps.idempotency;
    if (store === undefined || payment.idempotencyKey === null) return;
    const result = paymentResultOf(payment, outcome, null, code, reason);
    // The key may have expired or been completed already; the payment itself is what matters.
    await store.complete(payment.merchantId, payment.idempotencyKey, paymentResultJson(result)).catch(() => undefined);
  }

}

type MutableReport = {
  examined: number;
  paid: string[];
  failed: string[];
  cancelled: string[];
  unresolved: string[];
  doubleCharges: DoubleChargeFinding[];
  errors: { paymentId: string; message: string }[];
};

function positive(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new OrchestratorConfigurationError(field, `${field} must be a number greater than 0, got ${String(value)}.`);
  }
  return value;
}
