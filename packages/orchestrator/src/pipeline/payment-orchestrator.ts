import {
  CryptoIdGenerator,
  CryptoRandom,
  DuplicateEntityError,
  IdempotencyKeyReuseError,
  Money,
  Payment,
  PaymentNotFoundError,
  SystemClock,
  type ChargeRequest,
  type ChargeStatusResult,
  type Clock,
  type CreatePaymentInput,
  type GatewayType,
  type IdGenerator,
  type IdempotencyStore,
  type MetadataValue,
  type PaymentEvent,
  type PaymentGateway,
  type PaymentRepository,
  type Random,
  type RecordAttemptInput,
} from '@aegispay/domain';
import type { HookContext, HookExecutor } from '@aegispay/hooks';
import { VersionedPaymentService } from '@aegispay/locking';
import { type CircuitBreakerManager, RetryPolicy, TimeoutPolicy } from '@aegispay/resilience';
import { outcomeFromChargeResult, type DecidedChargeResult, type GatewayMetricsCollector, type IntelligentRoutingEngine } from '@aegispay/routing';
import {
  GatewayAttemptFailedError,
  OrchestratorConfigurationError,
  RefundFailedError,
  RefundKeyReuseError,
  RefundRejectedError,
  UnknownGatewayError,
} from '../errors/orchestrator.errors';
import { chargeThroughBreaker, resolveChargeStatus } from './gateway-call';
import { gatewaysByName } from './gateways-by-name';
import {
  resolveOrchestratorOptions,
  type PaymentOrchestratorOptions,
  type ResolvedOrchestratorOptions,
} from './payment-orchestrator.options';
import {
  isFinalOutcome,
  outcomeOfStored,
  paymentResultJson,
  paymentResultOf,
  type PaymentOutcome,
  type PaymentResult,
  type RefundResult,
} from './payment-result';
import { requestFingerprint } from './request-fingerprint';

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

/** A refund request. */
export interface RefundRequest {
  /** Minor units; defaults to everything still refundable. */
  readonly amount?: number;
  /** Required: the same key never refunds twice, at the gateway or here. */
  readonly idempotencyKey: string;
  readonly reason?: string;
  /** When given, a payment of another merchant is reported as not found. */
  readonly merchantId?: string;
}

const REFUND_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * How long a payment must have been final before a retry whose key is still in progress is
 * answered from the payment itself (the request that owned the key died before storing its answer).
 */
const ANSWER_GRACE_MS = 60_000;

/**
 * The payment pipeline: idempotency → create → pre-validation → enrichment → fraud checks →
 * routing (healthy gateways only; routing-strategy hooks, then the engine) → the gateway through
 * its breaker and a deadline → outcome, with fail-over on technical failures and unknown outcomes
 * resolved with `getStatus` before anything else.
 *
 * Never charges twice: each attempt has its own gateway idempotency reference
 * (`<paymentId>:<attempt>`), the payment is durably `PROCESSING` before the first gateway call,
 * and a charge whose outcome is unknown is never followed by a charge elsewhere — the payment
 * waits for {@link PaymentRecovery} instead.
 */
export class PaymentOrchestrator {
  private readonly options: ResolvedOrchestratorOptions;
  private readonly gateways: ReadonlyMap<GatewayType, PaymentGateway>;
  private readonly payments: VersionedPaymentService<Payment>;
  private readonly clock: Clock;
  private readonly ids: IdGenerator;
  private readonly backoff: RetryPolicy;
  private readonly chargeDeadline: TimeoutPolicy;
  private readonly statusDeadline: TimeoutPolicy;
  private readonly paymentDeps: { readonly clock: Clock; readonly ids: IdGenerator };

  /** @throws OrchestratorConfigurationError for invalid options, no gateways, or duplicate gateway names. */
  constructor(
    private readonly deps: PaymentOrchestratorDependencies,
    options: PaymentOrchestratorOptions = {},
  ) {
    this.options = resolveOrchestratorOptions(options);
    this.gateways = gatewaysByName(deps.gateways, 'At least one payment gateway is needed.');
    // Registers the breakers up front, so every gateway is routable before its first call.
    for (const name of this.gateways.keys()) deps.breakers.getBreaker(name);
    this.clock = deps.clock ?? new SystemClock();
    this.ids = deps.ids ?? new CryptoIdGenerator();
    const random = deps.random ?? new CryptoRandom();
    this.payments = deps.payments ?? new VersionedPaymentService<Payment>(deps.repository, { clock: this.clock, random });
    const backoff = this.options.failoverBackoff;
    this.backoff = new RetryPolicy({ ...backoff, maxRetries: this.options.maxAttempts, clock: this.clock, random });
    this.chargeDeadline = new TimeoutPolicy(this.options.gatewayTimeoutMs, { clock: this.clock });
    this.statusDeadline = new TimeoutPolicy(this.options.statusCheck.timeoutMs, { clock: this.clock });
    this.paymentDeps = { clock: this.clock, ids: this.ids };
  }

  /** The options in force, defaults applied. */
  get settings(): ResolvedOrchestratorOptions {
    return this.options;
  }

  /**
   * Takes a payment from request to outcome. Invalid requests throw the domain's typed errors
   * before anything is stored; every outcome after that is returned (see {@link PaymentOutcome}).
   *
   * With an `idempotencyKey`, the same key and body replay the first answer (`replayed: true`), a
   * request still running answers `IN_PROGRESS` (or, when its payment is final but the answer was
   * never stored for the key, that payment's answer), and the same key with another body throws
   * `IdempotencyKeyReuseError` — also once the key's record has expired, if its payment exists.
   */
  async processPayment(request: CreatePaymentInput, call: ProcessPaymentOptions = {}): Promise<PaymentResult> {
    const payment = Payment.create(request, this.paymentDeps);
    const key = payment.idempotencyKey;
    if (key === null) return this.pipeline(payment, call);

    const store = this.deps.idempotency;
    if (store === undefined) {
      throw new OrchestratorConfigurationError('idempotency', 'This request has an idempotencyKey but the orchestrator has no IdempotencyStore.');
    }
    const claim = await store.begin(payment.merchantId, key, requestFingerprint(request), { ttlMs: this.options.idempotencyTtlMs });
    if (claim.status === 'COMPLETED') return { ...(claim.response as unknown as PaymentResult), replayed: true };
    if (claim.status === 'IN_PROGRESS') return this.keyInProgress(payment);

    let stored = false;
    try {
      const result = await this.pipeline(payment, call, () => {
        stored = true;
      });
      // An unfinished payment (an unknown outcome, or one found still running under this key) keeps
      // the key in progress: recovery completes it with the final answer.
      if (isFinalOutcome(result.outcome)) await store.complete(payment.merchantId, key, paymentResultJson(result));
      return result;
    } catch (error) {
      if (!stored) await store.release(payment.merchantId, key).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Refunds a captured payment through the gateway that captured it, then records the refund.
   * The gateway call carries `<paymentId>:refund:<idempotencyKey>` as its reference, so retrying a
   * refund whose answer was lost never refunds twice.
   *
   * @throws PaymentNotFoundError, RefundExceedsCapturedError, IllegalStateTransitionError,
   *   RefundKeyReuseError, RefundRejectedError, RefundFailedError (retry with the same key).
   */
  async refund(paymentId: string, request: RefundRequest): Promise<RefundResult> {
    if (typeof request?.idempotencyKey !== 'string' || !REFUND_KEY.test(request.idempotencyKey)) {
      throw new OrchestratorConfigurationError('idempotencyKey', 'A refund needs an idempotencyKey of 1–255 printable ASCII characters.');
    }
    const payment = await this.loadPayment(paymentId, request.merchantId);
    const previous = payment.refunds.find((refund) => refund.idempotencyKey === request.idempotencyKey);
    if (previous !== undefined) {
      if (request.amount !== undefined && request.amount !== previous.amount) throw new RefundKeyReuseError(paymentId, request.idempotencyKey);
      return refundResult(payment, previous.id, previous.amount, true);
    }
    // Dry run on a copy: the domain's own checks (status, amount, refundable) before any money moves.
    const amount = Payment.rehydrate(payment.toSnapshot(), this.paymentDeps).refund(
      request.amount === undefined ? {} : { amount: request.amount },
    ).amount;

    const gatewayName = payment.gateway;
    const gateway = gatewayName === null ? undefined : this.gateways.get(gatewayName);
    if (gatewayName === null || gateway === undefined) throw new UnknownGatewayError(gatewayName ?? '(none)');
    const reference = `${payment.id}:refund:${request.idempotencyKey}`;
    let answer;
    try {
      answer = await this.deps.breakers
        .getBreaker(gatewayName)
        .execute((context) =>
          this.chargeDeadline.execute(
            (inner) =>
              gateway.refund(
                { reference, chargeReference: payment.gatewayReference ?? '', paymentId: payment.id, amount: Money.of(amount, payment.currency) },
                inner.signal,
              ),
            context.signal,
          ),
        );
    } catch (error) {
      throw new RefundFailedError(payment.id, gatewayName, error instanceof Error ? error.message : String(error), { cause: error });
    }
    if (answer.outcome === 'REJECTED') throw new RefundRejectedError(payment.id, gatewayName, answer.code, answer.message);
    if (answer.outcome === 'TECHNICAL_FAILURE') throw new RefundFailedError(payment.id, gatewayName, `${answer.errorCode}${answer.message === undefined ? '' : ` (${answer.message})`}`);
    if (answer.outcome === 'UNKNOWN') throw new RefundFailedError(payment.id, gatewayName, `the outcome is unknown: ${answer.reason}`);
    if (answer.outcome === 'PENDING') throw new RefundFailedError(payment.id, gatewayName, 'the gateway accepted the refund but has not confirmed it yet');

    let refundId = '';
    let replayed = false;
    const saved = await this.update(payment.id, { requestId: `refund:${request.idempotencyKey}`, signal: undefined, context: undefined }, (current) => {
      const existing = current.refunds.find((refund) => refund.idempotencyKey === request.idempotencyKey);
      if (existing !== undefined) {
        // A racing request with this key recorded its refund first; the gateway de-duplicated ours.
        if (existing.amount !== amount) throw new RefundKeyReuseError(paymentId, request.idempotencyKey);
        refundId = existing.id;
        replayed = true;
        return;
      }
      refundId = current.refund({
        amount,
        idempotencyKey: request.idempotencyKey,
        gatewayReference: answer.gatewayReference,
        ...(request.reason === undefined ? {} : { reason: request.reason }),
      }).id;
    });
    return refundResult(saved, refundId, amount, replayed);
  }

  /** The payment, or `null`. With `merchantId`, another merchant's payment is `null` too. */
  async getPayment(id: string, merchantId?: string): Promise<Payment | null> {
    const payment = await this.deps.repository.findById(id);
    if (payment === null || (merchantId !== undefined && payment.merchantId !== merchantId)) return null;
    return payment;
  }

  private async loadPayment(id: string, merchantId: string | undefined): Promise<Payment> {
    const payment = await this.getPayment(id, merchantId);
    if (payment === null) throw new PaymentNotFoundError(id);
    return payment;
  }

  private async pipeline(payment: Payment, call: ProcessPaymentOptions, onStored?: () => void): Promise<PaymentResult> {
    const created = payment.peekEvents();
    let current: Payment;
    try {
      current = await this.deps.repository.insert(payment);
    } catch (error) {
      if (DuplicateEntityError.is(error) && payment.idempotencyKey !== null) return this.existingForKey(payment, error);
      throw error;
    }
    onStored?.();
    const hooks = this.deps.hooks;
    const requestId = call.requestId ?? this.ids.generate('req');
    const session: CallSession = { requestId, signal: call.signal, context: call.context };
    await this.emit(created, current, session);

    let enrichment: Readonly<Record<string, MetadataValue>> = {};
    if (hooks !== undefined) {
      const validation = await hooks.executePreValidation(this.hookContext(current, session));
      if (!validation.valid) {
        const reason = validation.errors.map((error) => `${error.hook}: ${error.message}`).join('; ') || 'pre-validation failed';
        return this.reject(current, session, 'VALIDATION_FAILED', reason);
      }
      enrichment = (await hooks.executeEnrichment(this.hookContext(current, session))).added;
      const fraud = await hooks.executeFraudChecks(this.hookContext(current, session));
      if (!fraud.allowed) {
        const reason = `${fraud.deniedBy ?? 'fraud checks'}: ${fraud.reason ?? 'payment refused'} (risk ${fraud.riskScore.toFixed(2)})`;
        return this.reject(current, session, 'FRAUD_REJECTED', reason);
      }
    }

    // Durably PROCESSING before any gateway call: a crash from here on leaves a payment recovery finds.
    current = await this.update(current.id, session, (p) => {
      if (Object.keys(enrichment).length > 0) p.enrichMetadata(enrichment);
      p.startProcessing();
    });
    return this.charge(current, session);
  }

  private async charge(payment: Payment, session: CallSession): Promise<PaymentResult> {
    const candidates = await this.route(payment, session);
    if (candidates.length === 0) {
      return this.fail(payment, session, 'NO_GATEWAY_AVAILABLE', 'No gateway is healthy enough to take the payment; try again shortly.', null, 0);
    }
    let current = payment;
    let made = 0;
    let last: { code: string; reason: string; gateway: GatewayType } | null = null;
    let delayOverride: number | undefined;

    // Candidates in turn, again from the top once exhausted, until enough calls were sent or tried.
    for (let tried = 0; tried < this.options.maxTries && made < this.options.maxAttempts; tried += 1) {
      const name = candidates[tried % candidates.length] as GatewayType;
      const gateway = this.gateways.get(name) as PaymentGateway;
      if (tried > 0) await this.clock.sleep(delayOverride ?? this.backoff.computeDelay(tried), session.signal);
      delayOverride = undefined;

      const reference = `${current.id}:${current.attempts.length + 1}`;
      // The gateway must not act on the request after our own deadline for it has fired.
      const deadline = this.clock.now() + this.options.gatewayTimeoutMs;
      const request: ChargeRequest = {
        reference,
        paymentId: current.id,
        merchantId: current.merchantId,
        amount: current.money,
        paymentMethod: current.paymentMethod,
        ...customerOf(current),
        metadata: current.metadata,
        deadline,
      };
      const call = await chargeThroughBreaker(gateway, this.deps.breakers.getBreaker(name), this.chargeDeadline, request, this.clock, session.signal);
      if (call.kind === 'NOT_SENT') {
        last = { code: call.code, reason: call.reason, gateway: name };
        continue;
      }
      made += 1;

      let result: DecidedChargeResult;
      if (call.kind === 'MAYBE_SENT' || call.result.outcome === 'UNKNOWN' || call.result.outcome === 'PENDING' || call.result.outcome === 'REQUIRES_ACTION') {
        const status = await resolveChargeStatus(
          gateway,
          { reference, request },
          {
            attempts: this.options.statusCheck.attempts,
            intervalMs: this.options.statusCheck.intervalMs,
            deadline: this.statusDeadline,
            clock: this.clock,
            conclusiveAfter: deadline + this.options.statusCheck.clockSkewMs,
          },
          session.signal,
        );
        const resolved = resultFromStatus(status, call.kind === 'MAYBE_SENT' ? call.code : 'UNKNOWN_OUTCOME');
        if (resolved === null) {
          const code = call.kind === 'MAYBE_SENT' ? call.code : 'UNKNOWN_OUTCOME';
          this.record(name, { outcome: 'UNKNOWN', reason: code }, call.latencyMs, current, session);
          current = await this.update(current.id, session, (p) => {
            p.recordAttempt({ gateway: name, reference, outcome: 'UNKNOWN', latencyMs: call.latencyMs, errorCode: code });
          });
          return this.result(current, 'PENDING_RECOVERY', name, code, `${name} may have charged the payment but did not say (${code}); it stays PROCESSING until recovery learns the outcome from ${name}.`, made);
        }
        result = resolved;
      } else {
        result = call.result;
      }
      this.record(name, result, call.latencyMs, current, session);
      const attempt = attemptOf(name, reference, result, call.latencyMs);

      if (result.outcome === 'APPROVED') {
        current = await this.update(current.id, session, (p) => {
          p.recordAttempt(attempt);
          p.markSucceeded({ gateway: name, gatewayReference: result.gatewayReference });
        });
        return this.finish(current, session, 'SUCCEEDED', name, null, `Approved by ${name}.`, made);
      }
      if (result.outcome === 'DECLINED') {
        if (result.declineType === 'HARD' || this.options.softDeclines === 'FAIL') {
          current = await this.update(current.id, session, (p) => {
            p.recordAttempt(attempt);
            p.markFailed({ code: result.declineCode, reason: result.message ?? `${result.declineType.toLowerCase()} decline`, gateway: name });
          });
          return this.finish(current, session, 'DECLINED', name, result.declineCode, `${name} declined the payment (${result.declineCode}, ${result.declineType.toLowerCase()}).`, made);
        }
        last = { code: result.declineCode, reason: `soft decline at ${name}`, gateway: name };
      } else {
        last = { code: result.outcome === 'TECHNICAL_FAILURE' ? result.errorCode : 'UNKNOWN_OUTCOME', reason: `${name} failed`, gateway: name };
      }
      current = await this.update(current.id, session, (p) => {
        p.recordAttempt(attempt);
      });

      if (result.outcome === 'TECHNICAL_FAILURE' && this.deps.hooks !== undefined) {
        const advice = await this.deps.hooks.executeErrorHandlers({
          ...this.hookContext(current, session),
          error: new GatewayAttemptFailedError(name, result.errorCode, result.retryable, result.message),
          attemptNumber: made,
          previousAttempts: current.attempts,
        });
        if (advice.handledBy !== null) {
          if (!advice.shouldRetry) {
            last = { code: result.errorCode, reason: `${advice.handledBy} stopped fail-over${advice.reason === undefined ? '' : `: ${advice.reason}`}`, gateway: name };
            break;
          }
          // Capped like the backoff: a longer pause between stored attempts would outlast what
          // recovery allows for (worstCaseProcessingMs), and it could fail a payment about to be charged.
          delayOverride = advice.retryAfterMs === undefined ? undefined : Math.min(advice.retryAfterMs, this.options.failoverBackoff.maxBackoffMs);
        }
      }
    }
    const code = last?.code ?? 'ALL_GATEWAYS_FAILED';
    const reason = last === null ? 'No gateway could be called.' : `No gateway processed the payment after ${made} attempt(s); last: ${last.reason} (${last.code}).`;
    return this.fail(current, session, made > 0 ? 'ALL_GATEWAYS_FAILED' : code, reason, last?.gateway ?? null, made);
  }

  /** Healthy gateways in the order to try: a routing-strategy hook's choice first, then the engine's ranking. */
  private async route(payment: Payment, session: CallSession): Promise<GatewayType[]> {
    const healthy = this.deps.breakers.getHealthyGateways(this.options.minHealthScore).filter((name) => this.gateways.has(name));
    if (healthy.length === 0) return [];
    const order: GatewayType[] = [];
    if (this.deps.hooks !== undefined) {
      const outcome = await this.deps.hooks.executeRoutingStrategies({ ...this.hookContext(payment, session), availableGateways: healthy });
      if (outcome.decision !== null) order.push(outcome.decision.gatewayType);
    }
    const decision = this.deps.routing.selectGateway(payment, healthy);
    for (const name of [decision.selectedGateway, ...decision.alternatives.map((alternative) => alternative.gateway)]) {
      if (!order.includes(name) && healthy.includes(name)) order.push(name);
    }
    return order;
  }

  private record(gateway: GatewayType, result: DecidedChargeResult, latencyMs: number, payment: Payment, session: CallSession): void {
    this.deps.metrics.recordPayment(gateway, outcomeFromChargeResult(result, { latency: Math.max(0, latencyMs), amount: payment.amount }));
    const hooks = this.deps.hooks;
    if (hooks !== undefined) {
      void hooks
        .executeMetricsCollectors(
          [{ name: 'aegispay.gateway.attempt', value: latencyMs, unit: 'ms', tags: { gateway, outcome: result.outcome } }],
          this.hookContext(payment, session),
        )
        .catch(() => undefined);
    }
  }

  private async reject(payment: Payment, session: CallSession, code: string, reason: string): Promise<PaymentResult> {
    const failed = await this.update(payment.id, session, (p) => {
      p.startProcessing();
      p.markFailed({ code, reason });
    });
    return this.result(failed, 'REJECTED', null, code, reason, 0);
  }

  private async fail(
    payment: Payment,
    session: CallSession,
    code: string,
    reason: string,
    gateway: GatewayType | null,
    attempts: number,
  ): Promise<PaymentResult> {
    const failed = await this.update(payment.id, session, (p) => {
      p.markFailed({ code, reason, ...(gateway === null ? {} : { gateway }) });
    });
    return this.finish(failed, session, 'FAILED', gateway, code, reason, attempts);
  }

  private async finish(
    payment: Payment,
    session: CallSession,
    outcome: PaymentOutcome,
    gateway: GatewayType | null,
    code: string | null,
    reason: string,
    attempts: number,
  ): Promise<PaymentResult> {
    if (this.deps.hooks !== undefined) {
      const validation = await this.deps.hooks.executePostValidation(this.hookContext(payment, session));
      if (!validation.valid) {
        const problems = validation.errors.map((error) => `${error.hook}: ${error.message}`).join('; ');
        return this.result(payment, outcome, gateway, code, `${reason} Post-validation: ${problems}.`, attempts);
      }
    }
    return this.result(payment, outcome, gateway, code, reason, attempts);
  }

  private result(
    payment: Payment,
    outcome: PaymentOutcome,
    gateway: GatewayType | null,
    code: string | null,
    reason: string,
    attempts: number,
  ): PaymentResult {
    return paymentResultOf(payment, outcome, gateway, code, reason, attempts);
  }

  /** A versioned update that hands the events it stored to the event-listener hooks. */
  private async update(id: string, session: CallSession, mutate: (payment: Payment) => void): Promise<Payment> {
    let events: readonly PaymentEvent[] = [];
    const saved = await this.payments.update(id, (payment) => {
      mutate(payment);
      events = payment.peekEvents();
    });
    await this.emit(events, saved, session);
    return saved;
  }

  private async emit(events: readonly PaymentEvent[], payment: Payment, session: CallSession): Promise<void> {
    const hooks = this.deps.hooks;
    if (hooks === undefined || events.length === 0) return;
    const context = this.hookContext(payment, session);
    for (const event of events) await hooks.emitEvent(event, context);
  }

  private hookContext(payment: Payment, session: CallSession): HookContext {
    return {
      payment,
      timestamp: new Date(this.clock.now()),
      requestId: session.requestId,
      metadata: session.context === undefined ? payment.metadata : { ...payment.metadata, ...session.context },
    };
  }

  /**
   * Another request holds the key. Its payment may be finished already while the answer was never
   * stored for the key (its process died in between, or the store failed): then the payment is the
   * answer, rather than `IN_PROGRESS` until the key expires.
   */
  private async keyInProgress(payment: Payment): Promise<PaymentResult> {
    const key = payment.idempotencyKey as string;
    const existing = await this.deps.repository.findByIdempotencyKey(payment.merchantId, key);
    // A payment final for longer than the grace belongs to a request that died between its final
    // write and storing its answer. Before that, the request is most likely still finishing (post-
    // validation, storing the answer): its concurrent retries must hear IN_PROGRESS and then get
    // the one stored answer, never a second, rebuilt one.
    if (existing !== null && sameRequest(existing, payment) && existing.updatedAt.getTime() <= this.clock.now() - ANSWER_GRACE_MS) {
      const answer = this.storedAnswer(existing, key);
      if (isFinalOutcome(answer.outcome)) return answer;
    }
    return inProgress(`A request with idempotency key "${key}" is still being processed.`);
  }

  /**
   * The key was used before and its record expired (or was taken over), but the payment it created
   * exists: the same request is answered with that payment, another body is a reuse of the key.
   */
  private async existingForKey(payment: Payment, error: unknown): Promise<PaymentResult> {
    const key = payment.idempotencyKey as string;
    const existing = await this.deps.repository.findByIdempotencyKey(payment.merchantId, key);
    if (existing === null) throw error;
    if (!sameRequest(existing, payment)) throw new IdempotencyKeyReuseError(payment.merchantId, key);
    return this.storedAnswer(existing, key);
  }

  /** The replayed answer a stored payment gives for its idempotency key. */
  private storedAnswer(existing: Payment, key: string): PaymentResult {
    const outcome = outcomeOfStored(existing);
    const code = existing.status === 'CANCELLED' ? (existing.failureCode ?? 'ABANDONED') : existing.failureCode;
    return { ...this.result(existing, outcome, null, code, `A payment with idempotency key "${key}" already exists.`, 0), replayed: true };
  }
}

interface CallSession {
  readonly requestId: string;
  readonly signal: AbortSignal | undefined;
  readonly context: Readonly<Record<string, unknown>> | undefined;
}

function inProgress(reason: string): PaymentResult {
  return { outcome: 'IN_PROGRESS', paymentId: null, status: null, gateway: null, code: 'IDEMPOTENCY_IN_PROGRESS', reason, attempts: 0, replayed: false, payment: null };
}

/**
 * Whether `candidate` (built from a request) asks for what `stored` is: the same money, method,
 * customer and description, and every metadata entry it names with the same value (enrichment
 * hooks may have added entries to the stored payment).
 */
function sameRequest(stored: Payment, candidate: Payment): boolean {
  if (
    stored.amount !== candidate.amount ||
    stored.currency !== candidate.currency ||
    stored.paymentMethod.type !== candidate.paymentMethod.type ||
    stored.paymentMethod.token !== candidate.paymentMethod.token ||
    stored.customerId !== candidate.customerId ||
    stored.description !== candidate.description
  ) {
    return false;
  }
  return Object.entries(candidate.metadata).every(([name, value]) => Object.hasOwn(stored.metadata, name) && stored.metadata[name] === value);
}

function customerOf(payment: Payment): { customerId?: string } {
  return payment.customerId === null ? {} : { customerId: payment.customerId };
}

function resultFromStatus(status: ChargeStatusResult, code: string): DecidedChargeResult | null {
  switch (status.status) {
    case 'APPROVED':
      return status.fee === undefined
        ? { outcome: 'APPROVED', gatewayReference: status.gatewayReference }
        : { outcome: 'APPROVED', gatewayReference: status.gatewayReference, fee: status.fee };
    case 'DECLINED':
      return { outcome: 'DECLINED', declineCode: status.declineCode, declineType: status.declineType };
    case 'NOT_FOUND':
      // The request never arrived: nothing was charged, failing over is safe.
      return { outcome: 'TECHNICAL_FAILURE', errorCode: code, retryable: true, message: 'the request never reached the gateway' };
    case 'PENDING':
    case 'REQUIRES_ACTION':
    case 'UNKNOWN':
      return null;
  }
}

function attemptOf(gateway: GatewayType, reference: string, result: DecidedChargeResult, latencyMs: number): RecordAttemptInput {
  const base = { gateway, reference, latencyMs: Math.max(0, latencyMs) };
  switch (result.outcome) {
    case 'APPROVED':
      return { ...base, outcome: 'APPROVED', gatewayReference: result.gatewayReference };
    case 'DECLINED':
      return { ...base, outcome: 'DECLINED', declineCode: result.declineCode, declineType: result.declineType };
    case 'TECHNICAL_FAILURE':
      return { ...base, outcome: 'TECHNICAL_FAILURE', errorCode: result.errorCode };
    case 'UNKNOWN':
      return { ...base, outcome: 'UNKNOWN', errorCode: 'UNKNOWN_OUTCOME' };
  }
}

function refundResult(payment: Payment, refundId: string, amount: number, replayed: boolean): RefundResult {
  return { paymentId: payment.id, refundId, amount, currency: payment.currency, status: payment.status, replayed, payment: payment.toSnapshot() };
}


