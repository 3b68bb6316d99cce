import { Payment, type Clock, type GatewayAttempt, type GatewayType, type IdGenerator } from '@aegispay/domain';
import type { HookExecutor } from '@aegispay/hooks';
import type { RetryPolicy } from '@aegispay/resilience';
import { outcomeFromChargeResult, routingSegmentOf, type GatewayMetricsCollector } from '@aegispay/routing';
import type { AttemptSender } from '../attempt/attempt-sender';
import { applySettlement, metricsResultOf, type Settlement } from '../attempt/settlement';
import { GatewayAttemptFailedError } from '../errors/orchestrator.errors';
import type { KeyedRequest, PaymentKeys } from '../idempotency/payment-keys';
import type { ResolvedOrchestratorOptions } from '../pipeline/payment-orchestrator.options';
import { hookContextOf, type CallSession } from '../support/call-session';
import { reportSafely, type OrchestratorErrorReporter } from '../support/orchestrator-error-reporter';
import type { PaymentWriter } from '../support/payment-writer';
import type { GatewayTries } from './gateway-tries';
import { isFinalResult, resultOf, type ResultFacts, type StoredPaymentResult } from './payment-result';

/** What {@link ChargeFailover} works with. */
export interface ChargeFailoverDependencies {
  readonly sender: AttemptSender;
  readonly writer: PaymentWriter;
  readonly metrics: GatewayMetricsCollector;
  readonly backoff: RetryPolicy;
  readonly keys: PaymentKeys | undefined;
  readonly hooks: HookExecutor | undefined;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly options: ResolvedOrchestratorOptions;
  readonly onError: OrchestratorErrorReporter | undefined;
}

/** One payment on its way through the gateways. */
export interface ChargeRun {
  readonly session: CallSession;
  readonly tries: GatewayTries;
  /** The payment's key, when the request had one: its answer is stored with the final write. */
  readonly key: KeyedRequest | null;
}

/** A write that ends the payment (or leaves it waiting), and the answer it gives. */
interface Conclusion {
  readonly mutate: (payment: Payment) => void;
  readonly facts: ResultFacts;
  readonly reason: string;
}

/**
 * The fail-over loop. The payment arrives stored `PROCESSING` with its first attempt `IN_FLIGHT`.
 * Each attempt is sent and settled; an approval, a decline that ends the payment, an unknown
 * outcome, a charge the gateway holds or one awaiting the customer ends the loop in one write (with
 * the key's answer, when final). A technical failure, a refusal before sending or a soft decline
 * under `FAILOVER` asks the error-handler hooks, waits the backoff, and then — in one write — settles
 * the attempt and records the next one `IN_FLIGHT` before sending it. No attempt ever starts while
 * another may still charge: the payment itself refuses it.
 */
export class ChargeFailover {
  constructor(private readonly deps: ChargeFailoverDependencies) {}

  async run(start: Payment, run: ChargeRun): Promise<StoredPaymentResult> {
    let payment = start;
    for (;;) {
      const attempt = payment.liveAttempt as GatewayAttempt;
      const { settlement, latencyMs, sent } = await this.deps.sender.send(payment, attempt, run.session.signal);
      if (sent) run.tries.countCall();
      this.record(attempt.gateway, settlement, latencyMs, payment, run.session);

      const conclusion = this.conclusion(attempt, settlement, latencyMs);
      if (conclusion !== null) return this.conclude(payment, run, conclusion);

      const advice = await this.adviceAfter(payment, attempt, settlement, latencyMs, run);
      const next = advice === 'STOP' ? null : run.tries.next();
      if (next === null || advice === 'STOP') {
        const { code, reason, gateway } = run.tries.exhausted();
        return this.conclude(payment, run, {
          mutate: (p) => {
            applySettlement(p, attempt, settlement, latencyMs, { declineEnds: false });
            p.markFailed({ code, reason, ...(gateway === null ? {} : { gateway }) });
          },
          facts: { outcome: 'FAILED', gateway, code },
          reason,
        });
      }
      await this.deps.clock.sleep(advice ?? this.deps.backoff.computeDelay(run.tries.made - 1), run.session.signal);
      payment = await this.deps.writer.update(payment.id, run.session, (p) => {
        applySettlement(p, attempt, settlement, latencyMs, { declineEnds: false });
        p.beginAttempt(this.intent(p, next));
      });
    }
  }

  /** The next attempt of `payment` at `gateway`: its reference and the deadline the gateway must not act after. */
  intent(payment: Payment, gateway: GatewayType): { gateway: GatewayType; reference: string; deadline: number } {
    return { gateway, reference: `${payment.id}:${payment.attempts.length + 1}`, deadline: this.deps.clock.now() + this.deps.options.gatewayTimeoutMs };
  }

  /**
   * Writes a conclusion, with post-validation problems in its reason and, when it is final, the key's
   * answer in the same transaction. Post-validation hooks see the payment as it will be stored.
   */
  async conclude(payment: Payment, run: ChargeRun, conclusion: Conclusion): Promise<StoredPaymentResult> {
    const reason = await this.withPostValidation(payment, conclusion, run.session);
    const key = run.key;
    const keys = this.deps.keys;
    let answer: StoredPaymentResult | undefined;
    const saved = await this.deps.writer.update(payment.id, run.session, conclusion.mutate, async (stored) => {
      answer = resultOf(stored, conclusion.facts, reason);
      if (key !== null && keys !== undefined && isFinalResult(answer)) await keys.complete(key, answer, (work) => this.deps.writer.transaction(work));
    });
    return answer ?? resultOf(saved, conclusion.facts, reason);
  }

  private conclusion(attempt: GatewayAttempt, settlement: Settlement, latencyMs: number): Conclusion | null {
    const name = attempt.gateway;
    const settle = (declineEnds: boolean) => (p: Payment) => applySettlement(p, attempt, settlement, latencyMs, { declineEnds });
    switch (settlement.outcome) {
      case 'APPROVED':
        return { mutate: settle(true), facts: { outcome: 'SUCCEEDED', gateway: name }, reason: `Approved by ${name}.` };
      case 'DECLINED': {
        const { declineCode, declineType } = settlement;
        if (declineType === 'SOFT' && this.deps.options.softDeclines === 'FAILOVER') return null;
        const reason = `${name} declined the payment (${declineCode}, ${declineType.toLowerCase()}).`;
        return { mutate: settle(true), facts: { outcome: 'DECLINED', gateway: name, code: declineCode, declineType }, reason };
      }
      case 'REQUIRES_ACTION':
        return {
          mutate: settle(true),
          facts: { outcome: 'REQUIRES_ACTION', gateway: name, action: settlement.action },
          reason: `${name} needs the customer to act (3-D Secure, a redirect) before it decides; hand them the next action.`,
        };
      case 'PENDING':
        return { mutate: settle(true), facts: { outcome: 'PENDING', gateway: name }, reason: `${name} holds the payment and decides later; it stays PROCESSING until ${name} says.` };
      case 'UNKNOWN':
        return {
          mutate: settle(true),
          facts: { outcome: 'PENDING_RECOVERY', gateway: name, code: settlement.errorCode },
          reason: `${name} may have charged the payment but did not say (${settlement.errorCode}); it stays PROCESSING until recovery learns the outcome from ${name}.`,
        };
      case 'TECHNICAL_FAILURE':
      case 'NOT_SENT':
        return null;
    }
  }

  /** After a failed try: what the error-handler hooks advise (`STOP`, a wait, or nothing), with the failure remembered. */
  private async adviceAfter(payment: Payment, attempt: GatewayAttempt, settlement: Settlement, latencyMs: number, run: ChargeRun): Promise<number | 'STOP' | undefined> {
    const name = attempt.gateway;
    if (settlement.outcome === 'DECLINED') {
      run.tries.fail({ code: settlement.declineCode, reason: `soft decline at ${name}`, gateway: name });
      return undefined;
    }
    if (settlement.outcome === 'NOT_SENT') {
      run.tries.fail({ code: settlement.errorCode, reason: settlement.reason, gateway: name });
      return undefined;
    }
    if (settlement.outcome !== 'TECHNICAL_FAILURE') return undefined;
    run.tries.fail({ code: settlement.errorCode, reason: `${name} failed`, gateway: name });
    const hooks = this.deps.hooks;
    if (hooks === undefined) return undefined;
    // The hooks see the attempt as it will be stored.
    const preview = Payment.rehydrate(payment.toSnapshot(), { clock: this.deps.clock, ids: this.deps.ids });
    applySettlement(preview, attempt, settlement, latencyMs, { declineEnds: false });
    const advice = await hooks.executeErrorHandlers({
      ...hookContextOf(preview, run.session, this.deps.clock),
      error: new GatewayAttemptFailedError(name, settlement.errorCode, settlement.retryable, settlement.message),
      attemptNumber: run.tries.calls,
      previousAttempts: preview.attempts,
    });
    if (advice.handledBy === null) return undefined;
    if (!advice.shouldRetry) {
      run.tries.fail({ code: settlement.errorCode, reason: `${advice.handledBy} stopped fail-over${advice.reason === undefined ? '' : `: ${advice.reason}`}`, gateway: name });
      return 'STOP';
    }
    // Capped like the backoff: a longer pause between attempts would outlast what recovery allows for
    // (worstCaseProcessingMs), and it could fail a payment about to be charged.
    return advice.retryAfterMs === undefined ? undefined : Math.min(advice.retryAfterMs, this.deps.options.failoverBackoff.maxBackoffMs);
  }

  private async withPostValidation(payment: Payment, conclusion: Conclusion, session: CallSession): Promise<string> {
    const hooks = this.deps.hooks;
    if (hooks === undefined) return conclusion.reason;
    const preview = Payment.rehydrate(payment.toSnapshot(), { clock: this.deps.clock, ids: this.deps.ids });
    conclusion.mutate(preview);
    const validation = await hooks.executePostValidation(hookContextOf(preview, session, this.deps.clock));
    if (validation.valid) return conclusion.reason;
    return `${conclusion.reason} Post-validation: ${validation.errors.map((error) => `${error.hook}: ${error.message}`).join('; ')}.`;
  }

  private record(gateway: GatewayType, settlement: Settlement, latencyMs: number, payment: Payment, session: CallSession): void {
    const result = metricsResultOf(settlement);
    if (result === null) return;
    // With the payment's segment, so that routing learns per method, currency, amount band, merchant and card facts.
    const measurements = { latency: Math.max(0, latencyMs), amount: payment.amount, segment: routingSegmentOf(payment) };
    this.deps.metrics.recordPayment(gateway, outcomeFromChargeResult(result, measurements));
    const hooks = this.deps.hooks;
    if (hooks === undefined) return;
    hooks
      .executeMetricsCollectors(
        [{ name: 'aegispay.gateway.attempt', value: latencyMs, unit: 'ms', tags: { gateway, outcome: result.outcome } }],
        hookContextOf(payment, session, this.deps.clock),
      )
      .catch((error: unknown) => reportSafely(this.deps.onError, error, { operation: 'metrics-hooks', paymentId: payment.id }));
  }
}
