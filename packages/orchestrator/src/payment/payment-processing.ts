import { DuplicateEntityError, Payment, type Clock, type CreatePaymentInput, type IdGenerator } from '@aegispay/domain';
import type { HookExecutor } from '@aegispay/hooks';
import { OrchestratorConfigurationError } from '../errors/orchestrator.errors';
import type { KeyedRequest, PaymentKeys } from '../idempotency/payment-keys';
import { requestFingerprint } from '../idempotency/request-fingerprint';
import type { ResolvedOrchestratorOptions } from '../pipeline/payment-orchestrator.options';
import type { CallSession } from '../support/call-session';
import type { PaymentWriter } from '../support/payment-writer';
import type { ChargeFailover } from './charge-failover';
import type { GatewayCandidates } from './gateway-candidates';
import { GatewayTries } from './gateway-tries';
import { isFinalResult, resultOf, type PaymentResult, type ResultFacts } from './payment-result';
import { screenPayment } from './payment-screening';

/** What {@link PaymentProcessing} works with. */
export interface PaymentProcessingDependencies {
  readonly writer: PaymentWriter;
  readonly candidates: GatewayCandidates;
  readonly failover: ChargeFailover;
  readonly keys: PaymentKeys | undefined;
  readonly hooks: HookExecutor | undefined;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly options: ResolvedOrchestratorOptions;
}

/** A payment refused before any gateway, stored once already `FAILED`. */
interface Refusal {
  readonly facts: ResultFacts & { readonly outcome: 'REJECTED' | 'FAILED' };
  readonly reason: string;
}

/**
 * The pay use case, up to the first gateway call: validate and create, answer a replay before any
 * work, screen with the hooks, rank the gateways, then store the payment in **one write** — already
 * `PROCESSING` with its first attempt `IN_FLIGHT` (or already `FAILED` when refused), with its key
 * claimed in the same transaction — before anything is sent. The fail-over loop takes it from there.
 */
export class PaymentProcessing {
  constructor(private readonly deps: PaymentProcessingDependencies) {}

  async process(request: CreatePaymentInput, session: CallSession): Promise<PaymentResult> {
    const payment = Payment.create(request, { clock: this.deps.clock, ids: this.deps.ids });
    const key = this.keyOf(payment, request);
    if (key !== null) {
      const early = await (this.deps.keys as PaymentKeys).answerBeforeWork(key, payment);
      if (early !== null) return early;
    }
    const screening = await screenPayment(this.deps.hooks, payment, session, this.deps.clock);
    const ranked = screening.kind === 'PASS' ? await this.deps.candidates.rank(payment, session) : [];
    const tries = new GatewayTries(ranked, this.deps.options, (gateway) => this.deps.candidates.permits(gateway));
    let refusal: Refusal | null = null;
    payment.startProcessing();
    if (screening.kind === 'REJECT') {
      refusal = { facts: { outcome: 'REJECTED', code: screening.code }, reason: screening.reason };
    } else {
      const first = tries.next();
      if (first !== null) payment.beginAttempt(this.deps.failover.intent(payment, first));
      else refusal = ranked.length === 0 ? noGateway() : { ...exhausted(tries), reason: tries.exhausted().reason };
    }
    if (refusal !== null) payment.markFailed({ code: refusal.facts.code, reason: refusal.reason });

    const stored = await this.store(payment, key, refusal, session);
    if (stored.kind === 'ANSWERED') return stored.answer;
    if (refusal !== null) return resultOf(stored.payment, refusal.facts, refusal.reason);
    return this.deps.failover.run(stored.payment, { session, tries, key });
  }

  private keyOf(payment: Payment, request: CreatePaymentInput): KeyedRequest | null {
    if (payment.idempotencyKey === null) return null;
    if (this.deps.keys === undefined) {
      throw new OrchestratorConfigurationError('idempotency', 'is required: this request has an idempotencyKey but the orchestrator was given no IdempotencyStore', { owner: 'PaymentOrchestrator' });
    }
    return { merchantId: payment.merchantId, key: payment.idempotencyKey, fingerprint: requestFingerprint(request) };
  }

  /**
   * The first write: the key's claim and the payment together (and the key's answer, when the
   * payment was refused). A request that finds the key taken gets the key's answer instead, and
   * nothing is written.
   */
  private async store(payment: Payment, key: KeyedRequest | null, refusal: Refusal | null, session: CallSession): Promise<{ kind: 'STORED'; payment: Payment } | { kind: 'ANSWERED'; answer: PaymentResult }> {
    const { writer } = this.deps;
    const keys = this.deps.keys;
    const events = payment.peekEvents();
    let claimed = false;
    try {
      const outcome = await writer.transaction(async () => {
        if (key !== null && keys !== undefined) {
          const claim = await keys.claim(key);
          if (claim.status !== 'STARTED') return { kind: 'ANSWERED' as const, answer: await keys.answerFor(claim, payment) };
          claimed = true;
        }
        const saved = await writer.insert(payment);
        if (refusal !== null && key !== null && keys !== undefined) {
          const answer = resultOf(saved, refusal.facts, refusal.reason);
          if (isFinalResult(answer)) await keys.complete(key, answer, (work) => writer.transaction(work));
        }
        return { kind: 'STORED' as const, payment: saved };
      });
      if (outcome.kind === 'STORED') await writer.emit(events, outcome.payment, session);
      return outcome;
    } catch (error) {
      if (DuplicateEntityError.is(error) && key !== null && keys !== undefined) {
        if (claimed && !writer.atomic) await keys.release(key);
        return { kind: 'ANSWERED', answer: await keys.answerForExisting(payment, error) };
      }
      if (claimed && !writer.atomic && key !== null && keys !== undefined) await keys.release(key);
      throw error;
    }
  }
}

function noGateway(): Refusal {
  return { facts: { outcome: 'FAILED', gateway: null, code: 'NO_GATEWAY_AVAILABLE' }, reason: 'No gateway is healthy enough to take the payment; try again shortly.' };
}

function exhausted(tries: GatewayTries): Pick<Refusal, 'facts'> {
  const { code, gateway } = tries.exhausted();
  return { facts: { outcome: 'FAILED', gateway, code } };
}
