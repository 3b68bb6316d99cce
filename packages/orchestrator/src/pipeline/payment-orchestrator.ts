import {
  CryptoIdGenerator,
  CryptoRandom,
  SystemClock,
  type Clock,
  type CreatePaymentInput,
  type GatewayNotification,
  type GatewayType,
  type IdGenerator,
  type IdempotencyStore,
  type Payment,
  type PaymentGateway,
  type PaymentRepository,
  type Random,
  type UnitOfWork,
} from '@aegispay/domain';
import type { HookExecutor } from '@aegispay/hooks';
import { VersionedPaymentService } from '@aegispay/locking';
import { RetryPolicy, TimeoutPolicy, type CircuitBreakerManager } from '@aegispay/resilience';
import type { GatewayMetricsCollector, IntelligentRoutingEngine } from '@aegispay/routing';
import { AttemptSender } from '../attempt/attempt-sender';
import { gatewaysByName } from '../attempt/gateways-by-name';
import { PaymentKeys } from '../idempotency/payment-keys';
import { ChargeFailover } from '../payment/charge-failover';
import { GatewayCandidates } from '../payment/gateway-candidates';
import { GatewayNotifications } from '../notification/gateway-notifications';
import type { NotificationOutcome } from '../notification/notification-outcome';
import { PaymentProcessing } from '../payment/payment-processing';
import type { PaymentResult } from '../payment/payment-result';
import { PaymentRefunding } from '../refund/payment-refunding';
import type { RefundPaymentInput, RefundPaymentResult } from '../refund/refund-result';
import { RefundSender } from '../refund/refund-sender';
import type { CallSession } from '../support/call-session';
import type { OrchestratorErrorReporter } from '../support/orchestrator-error-reporter';
import { PaymentWriter } from '../support/payment-writer';
import { orchestratorChecks, resolveOrchestratorOptions, type PaymentOrchestratorOptions, type ResolvedOrchestratorOptions } from './payment-orchestrator.options';

/** The ports and collaborators a {@link PaymentOrchestrator} works with. No container: pass them in. */
export interface PaymentOrchestratorDependencies {
  readonly repository: PaymentRepository;
  /** The gateways payments may be routed to, by their `name`. */
  readonly gateways: readonly PaymentGateway[];
  readonly routing: IntelligentRoutingEngine;
  /** Receives every gateway attempt's outcome (the routing engine reads it). */
  readonly metrics: GatewayMetricsCollector;
  readonly breakers: CircuitBreakerManager;
  /** Needed for requests that carry an `idempotencyKey`. */
  readonly idempotency?: IdempotencyStore;
  /**
   * When given, each write commits together with what belongs to it — the key's claim with the new
   * payment, the key's answer with the payment's final state — in one transaction: two durable
   * commits for a payment that is approved at once. Without it the same writes are made one by one.
   */
  readonly unitOfWork?: UnitOfWork;
  /** The extension points; none run when absent. */
  readonly hooks?: HookExecutor;
  /** Versioned writes with conflict retry. Defaults to a service over `repository` with the given clock and randomness. */
  readonly payments?: VersionedPaymentService<Payment>;
  /** Defaults to `SystemClock`. */
  readonly clock?: Clock;
  /** Defaults to `CryptoRandom` (backoff jitter). */
  readonly random?: Random;
  /** Defaults to `CryptoIdGenerator` (payment, refund and event ids). */
  readonly ids?: IdGenerator;
  /**
   * Receives the errors of side tasks that must not change an answer (a metrics hook that throws, an
   * idempotency record that could not be completed, a refund settlement left to recovery). Defaults
   * to dropping them; a service should log them.
   */
  readonly onError?: OrchestratorErrorReporter;
}

/** Per-call options of {@link PaymentOrchestrator.processPayment}. */
export interface ProcessPaymentOptions {
  /** Correlation id handed to hooks. Defaults to a generated `req_…` id. */
  readonly requestId?: string;
  /** Aborting stops waiting; a charge already sent is then resolved by recovery, never repeated. */
  readonly signal?: AbortSignal;
  /** Extra request facts for hooks (`HookContext.metadata`), merged over the payment's metadata. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** Refund writes race on one payment row: a larger conflict budget than the pipeline's. */
const REFUND_WRITE_RETRIES = { maxRetries: 60, initialBackoffMs: 2, maxBackoffMs: 100 };

/**
 * The payment use cases — pay, refund, look up — over the domain ports.
 *
 * Paying: idempotency → create → hooks (pre-validation, enrichment, fraud) → routing over healthy
 * gateways → the payment stored `PROCESSING` with its first attempt `IN_FLIGHT`, in one write with
 * the key's claim → the gateway through its breaker and a deadline → fail-over on technical
 * failures → the outcome, in one write with the key's answer. Unknown outcomes are resolved at the
 * same gateway before anything else; a payment whose gateway cannot say waits for
 * {@link PaymentRecovery}.
 *
 * Never charges twice: every attempt has its own gateway idempotency reference
 * (`<paymentId>:<attempt>`), is recorded before its request leaves, and the payment refuses to start
 * an attempt while another may still charge.
 */
export class PaymentOrchestrator {
  private readonly options: ResolvedOrchestratorOptions;
  private readonly paying: PaymentProcessing;
  private readonly refunding: PaymentRefunding;
  private readonly notifications: GatewayNotifications;
  private readonly repository: PaymentRepository;
  private readonly ids: IdGenerator;

  /** @throws OrchestratorConfigurationError for invalid options, no gateways, or duplicate gateway names. */
  constructor(deps: PaymentOrchestratorDependencies, options: PaymentOrchestratorOptions = {}) {
    this.options = resolveOrchestratorOptions(options);
    const gateways = gatewaysByName(deps.gateways, orchestratorChecks, 'payments need a gateway to be sent to');
    // Registers the breakers up front, so every gateway is routable before its first call.
    for (const name of gateways.keys()) deps.breakers.getBreaker(name);
    const clock = deps.clock ?? new SystemClock();
    const random = deps.random ?? new CryptoRandom();
    this.ids = deps.ids ?? new CryptoIdGenerator();
    this.repository = deps.repository;
    const { writer, refundWriter } = writers(deps, clock, random);
    const keys = this.keysOf(deps, clock);
    const statusDeadline = new TimeoutPolicy(this.options.statusCheck.timeoutMs, { clock });
    const callDeadline = new TimeoutPolicy(this.options.gatewayTimeoutMs, { clock });
    const failover = new ChargeFailover({
      sender: new AttemptSender({ gateways, breakers: deps.breakers, clock, chargeDeadline: callDeadline, statusDeadline, statusCheck: this.options.statusCheck }),
      writer,
      metrics: deps.metrics,
      backoff: new RetryPolicy({ ...this.options.failoverBackoff, maxRetries: this.options.maxAttempts, clock, random }),
      keys,
      hooks: deps.hooks,
      clock,
      ids: this.ids,
      options: this.options,
      onError: deps.onError,
    });
    const candidates = new GatewayCandidates({
      gateways: new Set<GatewayType>(gateways.keys()),
      breakers: deps.breakers,
      routing: deps.routing,
      ...(deps.hooks === undefined ? {} : { hooks: deps.hooks }),
      clock,
      minHealthScore: this.options.minHealthScore,
    });
    this.paying = new PaymentProcessing({ writer, candidates, failover, keys, hooks: deps.hooks, clock, ids: this.ids, options: this.options });
    this.refunding = new PaymentRefunding({
      repository: deps.repository,
      writer: refundWriter,
      sender: new RefundSender({ gateways, breakers: deps.breakers, clock, callDeadline, statusDeadline, statusCheck: this.options.statusCheck }),
      gateways,
      clock,
      gatewayTimeoutMs: this.options.gatewayTimeoutMs,
      onError: deps.onError,
    });
    this.notifications = new GatewayNotifications({
      repository: deps.repository,
      gateways,
      writer,
      refunding: this.refunding,
      keys,
      events: deps.idempotency,
      eventTtlMs: this.options.notificationTtlMs,
      onError: deps.onError,
    });
  }

  /** The options in force, defaults applied. */
  get settings(): ResolvedOrchestratorOptions {
    return this.options;
  }

  /**
   * Takes a payment from request to outcome. Invalid requests throw the domain's typed errors
   * before anything is stored; every outcome after that is returned (see {@link PaymentResult}).
   *
   * With an `idempotencyKey`, the same key and body replay the first answer (`replayed: true`), a
   * request still running answers `IN_PROGRESS` (or, once its payment answers by itself, that
   * payment's answer), and the same key with another body throws `IdempotencyKeyReuseError` — also
   * once the key's record has expired, if its payment exists.
   */
  processPayment(request: CreatePaymentInput, call: ProcessPaymentOptions = {}): Promise<PaymentResult> {
    return this.paying.process(request, this.session(call));
  }

  /**
   * Refunds a captured payment through the gateway that captured it. The refund is recorded
   * `PENDING` (its amount reserved) before the gateway is asked, then settled with its answer.
   * The same idempotency key never refunds twice: a retry gets the refund it made.
   *
   * @throws InvalidPaymentError (a malformed key, amount or reason), PaymentNotFoundError,
   *   RefundExceedsCapturedError, IllegalStateTransitionError, RefundKeyReuseError,
   *   RefundInProgressError (another request with the key is carrying it out: retry later),
   *   RefundRejectedError, RefundFailedError (nothing refunded: retry with the same key),
   *   UnknownGatewayError.
   */
  refund(paymentId: string, request: RefundPaymentInput, call: Omit<ProcessPaymentOptions, 'context'> = {}): Promise<RefundPaymentResult> {
    return this.refunding.refund(paymentId, request, this.session(call));
  }

  /**
   * Applies what a gateway told on its own — a notification read from a webhook whose signature was
   * verified — to the charge or refund waiting for it (see {@link GatewayNotifications}): a charge
   * left pending, awaiting the customer or unknown; a refund left pending. Idempotent on the
   * gateway's event id and on state; a charge being sent right now is `DEFERRED` (have the gateway
   * deliver it again), and a gateway contradicting a settled record is a `DISCREPANCY`, reported
   * through `onError` and changed by nobody.
   *
   * @throws what the repository or idempotency store throw (nothing was applied: have the gateway deliver it again).
   */
  applyNotification(notification: GatewayNotification, call: Pick<ProcessPaymentOptions, 'requestId'> = {}): Promise<NotificationOutcome> {
    return this.notifications.apply(notification, this.session(call));
  }

  /** The payment, or `null`. With `merchantId`, another merchant's payment is `null` too. */
  async getPayment(id: string, merchantId?: string): Promise<Payment | null> {
    const payment = await this.repository.findById(id);
    if (payment === null || (merchantId !== undefined && payment.merchantId !== merchantId)) return null;
    return payment;
  }

  private session(call: ProcessPaymentOptions): CallSession {
    return { requestId: call.requestId ?? this.ids.generate('req'), signal: call.signal, context: call.context };
  }

  private keysOf(deps: PaymentOrchestratorDependencies, clock: Clock): PaymentKeys | undefined {
    if (deps.idempotency === undefined) return undefined;
    return new PaymentKeys({ store: deps.idempotency, repository: deps.repository, clock, ttlMs: this.options.idempotencyTtlMs, ...(deps.onError === undefined ? {} : { onError: deps.onError }) });
  }
}

/** The pipeline's writer, and the refunds' (same persistence, a conflict budget for racing refunds). */
function writers(deps: PaymentOrchestratorDependencies, clock: Clock, random: Random): { writer: PaymentWriter; refundWriter: PaymentWriter } {
  const common = { repository: deps.repository, clock, ...(deps.unitOfWork === undefined ? {} : { unitOfWork: deps.unitOfWork }), ...(deps.hooks === undefined ? {} : { hooks: deps.hooks }) };
  const payments = deps.payments ?? new VersionedPaymentService<Payment>(deps.repository, { clock, random });
  const refundPayments = new VersionedPaymentService<Payment>(deps.repository, { clock, random, ...REFUND_WRITE_RETRIES });
  return { writer: new PaymentWriter({ ...common, payments }), refundWriter: new PaymentWriter({ ...common, payments: refundPayments }) };
}
