import {
  type DuplicateEntityError,
  IdempotencyKeyReuseError,
  type Clock,
  type IdempotencyBeginResult,
  type IdempotencyStore,
  type Payment,
  type PaymentRepository,
} from '@aegispay/domain';
import { inProgressResult, isFinalResult, storedResult, type FinalPaymentResult, type PaymentResult } from '../payment/payment-result';
import { isStoredAnswer } from './stored-answer';
import { reportSafely, type OrchestratorErrorReporter } from '../support/orchestrator-error-reporter';

/**
 * How long a payment must have been final before a retry whose key is still in progress is
 * answered from the payment itself (the request that owned the key died before storing its answer).
 */
const ANSWER_GRACE_MS = 60_000;

/** What {@link PaymentKeys} works with. */
export interface PaymentKeysDependencies {
  readonly store: IdempotencyStore;
  readonly repository: PaymentRepository;
  readonly clock: Clock;
  readonly ttlMs: number;
  readonly onError?: OrchestratorErrorReporter;
}

/** One request's hold on its key: the merchant, the key and the fingerprint of the whole request. */
export interface KeyedRequest {
  readonly merchantId: string;
  readonly key: string;
  readonly fingerprint: string;
}

/**
 * The idempotency of payments: a key is claimed atomically in the {@link IdempotencyStore} with the
 * fingerprint of the whole request, its final answer (a domain {@link PaymentResult}, never a
 * transport answer) is stored with the payment's final write, and replayed for the same request.
 *
 * - Same key and body → the stored answer (`replayed: true`), before any work is done again.
 * - A request still running → `IN_PROGRESS`, unless its payment answers already: one awaiting the
 *   customer (the retry needs the action), or one final for over a minute (its owner died before
 *   storing the answer; within the minute the owner may still be storing it, and every retry must
 *   get that one answer).
 * - Another body → `IdempotencyKeyReuseError`, also once the key's record expired, if its payment exists.
 */
export class PaymentKeys {
  constructor(private readonly deps: PaymentKeysDependencies) {}

  /** What a retry gets without doing any work: a replay, `IN_PROGRESS`, or `null` when the request should run. */
  async answerBeforeWork(request: KeyedRequest, payment: Payment): Promise<PaymentResult | null> {
    const seen = await this.deps.store.peek(request.merchantId, request.key, request.fingerprint);
    if (seen === null) return null;
    return this.answerFor(seen, payment);
  }

  /** Claims the key for this request (inside the transaction that stores the payment). */
  claim(request: KeyedRequest): Promise<IdempotencyBeginResult> {
    return this.deps.store.begin(request.merchantId, request.key, request.fingerprint, { ttlMs: this.deps.ttlMs });
  }

  /** What a request that lost the claim to another (or found it taken) is answered. */
  answerFor(claim: Exclude<IdempotencyBeginResult, { readonly status: 'STARTED' }>, payment: Payment): Promise<PaymentResult> | PaymentResult {
    if (claim.status === 'IN_PROGRESS') return this.whileInProgress(payment);
    if (!isStoredAnswer(claim.response)) throw new TypeError(`The idempotency record of key "${payment.idempotencyKey ?? ''}" holds no payment answer this orchestrator stored.`);
    return { ...claim.response, replayed: true };
  }

  /**
   * Stores the final answer of an owned key. A failure is reported and swallowed: the payment is
   * stored (or being stored) already, and a retry is answered from it once the grace has passed.
   */
  async complete(request: KeyedRequest, result: FinalPaymentResult, within: <T>(work: () => Promise<T>) => Promise<T> = (work) => work()): Promise<void> {
    try {
      // `within` opens a nested transaction (a savepoint) when the caller is inside one, so that a
      // failure here never undoes the payment's own write.
      await within(() => this.deps.store.complete(request.merchantId, request.key, result));
    } catch (error) {
      reportSafely(this.deps.onError, error, { operation: 'idempotency.complete', paymentId: result.paymentId });
    }
  }

  /** Gives up an owned key when nothing was stored (a retry may start afresh). A failure is reported. */
  async release(request: KeyedRequest): Promise<void> {
    try {
      await this.deps.store.release(request.merchantId, request.key);
    } catch (error) {
      reportSafely(this.deps.onError, error, { operation: 'idempotency.release' });
    }
  }

  /**
   * The payment was inserted before (its key's record expired or was taken over): the same request
   * is answered with that payment, another body is a reuse of the key.
   * @throws `duplicate` when no payment holds the key after all; IdempotencyKeyReuseError for another body.
   */
  async answerForExisting(payment: Payment, duplicate: DuplicateEntityError): Promise<PaymentResult> {
    const key = payment.idempotencyKey as string;
    const existing = await this.deps.repository.findByIdempotencyKey(payment.merchantId, key);
    if (existing === null) throw duplicate;
    if (!sameRequest(existing, payment)) throw new IdempotencyKeyReuseError(payment.merchantId, key);
    return storedResult(existing, alreadyExists(key)) ?? inProgressResult(key);
  }

  private async whileInProgress(payment: Payment): Promise<PaymentResult> {
    const key = payment.idempotencyKey as string;
    const existing = await this.deps.repository.findByIdempotencyKey(payment.merchantId, key);
    if (existing === null || !sameRequest(existing, payment)) return inProgressResult(key);
    const answer = storedResult(existing, alreadyExists(key));
    if (answer === null) return inProgressResult(key);
    // The customer must act: a retry needs the action, whatever else is going on.
    if (answer.outcome === 'REQUIRES_ACTION') return answer;
    const settledLongAgo = existing.updatedAt.getTime() <= this.deps.clock.now() - ANSWER_GRACE_MS;
    return settledLongAgo && isFinalResult(answer) ? answer : inProgressResult(key);
  }
}

function alreadyExists(key: string): string {
  return `A payment with idempotency key "${key}" already exists.`;
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
