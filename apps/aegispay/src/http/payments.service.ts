import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { IdempotencyKeyReuseError, type CreatePaymentInput, type IdempotencyStore, type JsonValue } from '@aegispay/domain';
import { requestFingerprint, type PaymentOrchestrator, type PaymentResult } from '@aegispay/orchestrator';
import type { ApiMetrics } from './api-metrics';
import { mapErrorToProblem, RETRY_AFTER_SECONDS } from './error-problem.mapper';
import { problemAnswer, REPLAYED_HEADER, type ApiAnswer } from './http-response';
import { paymentResponseBody, paymentView, refundResponseBody, type PaymentView } from './payment.view';
import { ProblemError } from './problem-details';
import type { CreatePaymentBody, RefundBody } from './request.schemas';
import type { ServerLifecycle } from './server-lifecycle';

/** What {@link PaymentsService} works with. */
export interface PaymentsServiceDependencies {
  readonly orchestrator: PaymentOrchestrator;
  /** Where refund answers are kept per `Idempotency-Key` (payments keep theirs through the orchestrator). */
  readonly idempotency: IdempotencyStore;
  readonly metrics: ApiMetrics;
  readonly lifecycle: ServerLifecycle;
}

/** Facts about the request being served. */
export interface CallContext {
  readonly requestId: string;
  /** The request path (`instance` of problems stored for replay). */
  readonly instance: string;
}

const PAYMENT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * The API's use cases over the orchestrator, with the HTTP semantics of the Idempotency-Key
 * draft: one stored answer per key, replayed for the same body, 422 for another body, 409 while
 * the first request runs.
 *
 * **Payments** use the orchestrator's own idempotency record: the header value becomes the
 * payment's `idempotencyKey`, the orchestrator claims `(merchant, key)` atomically with the
 * fingerprint of the whole request, and stores its `PaymentResult` — from which the HTTP answer
 * (status and body) is derived by a pure function, so storing the result is storing the answer.
 * A payment whose outcome is unknown keeps its key in progress, and payment recovery completes
 * it with the final answer: a client retrying meanwhile gets 409, then the final answer.
 *
 * **Refunds** keep their HTTP answer (status, body) in the same store under a key of their own
 * (`refund <sha256(paymentId, key)>`, which no header value can collide with: header keys have no
 * spaces). Final answers are kept — success and the 4xx a retry would get again; a 404, a 409 or
 * a 5xx releases the key so a retry can run.
 */
export class PaymentsService {
  constructor(private readonly deps: PaymentsServiceDependencies) {}

  /** `POST /v1/payments`. */
  async createPayment(merchantId: string, idempotencyKey: string, body: CreatePaymentBody, call: CallContext): Promise<ApiAnswer> {
    const input: CreatePaymentInput = { ...body, merchantId, idempotencyKey };
    const started = performance.now();
    const result = await this.deps.lifecycle.track(() =>
      this.deps.orchestrator.processPayment(input, { requestId: call.requestId, signal: this.deps.lifecycle.signal }),
    );
    if (result.outcome === 'IN_PROGRESS' || result.payment === null) {
      throw new ProblemError(
        409,
        'IDEMPOTENCY.REQUEST_IN_PROGRESS',
        'A request with this Idempotency-Key is still being processed (or its gateway outcome is being recovered). Retry later with the same key and body to get its answer.',
        { retryable: true, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
      );
    }
    if (!result.replayed) this.deps.metrics.recordPayment(result, (performance.now() - started) / 1_000);
    const outcome = result.outcome;
    return {
      status: statusOfOutcome(result),
      kind: 'json',
      headers: { Location: `/v1/payments/${result.payment.id}`, ...(result.replayed ? { [REPLAYED_HEADER]: 'true' } : {}) },
      body: paymentResponseBody({ ...result, outcome, payment: result.payment }),
    };
  }

  /**
   * `GET /v1/payments/:id`. Another merchant's payment is answered exactly as a missing one.
   * @throws ProblemError 404 `PAYMENT.NOT_FOUND`.
   */
  async getPayment(merchantId: string, paymentId: string): Promise<PaymentView> {
    const payment = PAYMENT_ID.test(paymentId) ? await this.deps.orchestrator.getPayment(paymentId, merchantId) : null;
    if (payment === null) throw notFound();
    return paymentView(payment.toSnapshot());
  }

  /** `POST /v1/payments/:id/refunds`. */
  async refundPayment(merchantId: string, paymentId: string, idempotencyKey: string, body: RefundBody, call: CallContext): Promise<ApiAnswer> {
    return this.deps.lifecycle.track(async () => {
      if (!PAYMENT_ID.test(paymentId) || (await this.deps.orchestrator.getPayment(paymentId, merchantId)) === null) throw notFound();
      const store = this.deps.idempotency;
      const recordKey = `refund ${createHash('sha256').update(`${paymentId}\n${idempotencyKey}`).digest('hex')}`;
      let claim;
      try {
        claim = await store.begin(merchantId, recordKey, requestFingerprint({ paymentId, body }));
      } catch (error) {
        if (IdempotencyKeyReuseError.is(error)) {
          throw new ProblemError(
            422,
            'IDEMPOTENCY.KEY_REUSED',
            'This Idempotency-Key was already used for a different refund request on this payment. Send a new key for a new refund; resend the original body to get the original answer.',
            { cause: error },
          );
        }
        throw error;
      }
      if (claim.status === 'COMPLETED') return replayOf(claim.response);
      if (claim.status === 'IN_PROGRESS') {
        throw new ProblemError(409, 'IDEMPOTENCY.REQUEST_IN_PROGRESS', 'A refund with this Idempotency-Key is still being processed. Retry later with the same key and body to get its answer.', {
          retryable: true,
          headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
        });
      }

      let answer: ApiAnswer;
      try {
        const result = await this.deps.orchestrator.refund(paymentId, {
          idempotencyKey,
          merchantId,
          ...(body.amount === undefined ? {} : { amount: body.amount }),
          ...(body.reason === undefined ? {} : { reason: body.reason }),
        });
        answer = { status: 201, kind: 'json', headers: { Location: `/v1/payments/${paymentId}` }, body: refundResponseBody(result) };
      } catch (error) {
        const { problem, unexpected } = mapErrorToProblem(error);
        this.deps.metrics.recordRefund(problem.code);
        if (unexpected || !isFinalProblem(problem.status)) {
          await store.release(merchantId, recordKey).catch(() => undefined);
          throw error;
        }
        answer = problemAnswer(problem.toProblem(call.instance, call.requestId), problem.headers);
        await this.keep(merchantId, recordKey, answer);
        return answer;
      }
      this.deps.metrics.recordRefund('REFUNDED');
      await this.keep(merchantId, recordKey, answer);
      return answer;
    });
  }

  /**
   * Stores a final answer. If that fails the key is released instead: a retry then runs the
   * refund again, which the orchestrator answers from the refund it recorded (same key), rather
   * than the key staying in progress — and every retry getting 409 — until it expires.
   */
  private async keep(merchantId: string, recordKey: string, answer: ApiAnswer): Promise<void> {
    try {
      await this.deps.idempotency.complete(merchantId, recordKey, answer as unknown as JsonValue);
    } catch {
      await this.deps.idempotency.release(merchantId, recordKey).catch(() => undefined);
    }
  }
}

/**
 * 201 for a payment created with a final outcome — approved, declined, failed or rejected alike:
 * the request was carried out and the resource exists; `outcome` and `payment.status` say how it
 * ended. 202 while the outcome is being recovered from the gateway.
 */
export function statusOfOutcome(result: PaymentResult): number {
  return result.outcome === 'PENDING_RECOVERY' ? 202 : 201;
}

/** Answers a retry would get again, so they are kept for the key (2xx, and 4xx but 404/409/429). */
function isFinalProblem(status: number): boolean {
  return status >= 400 && status < 500 && status !== 404 && status !== 409 && status !== 429;
}

function replayOf(stored: JsonValue): ApiAnswer {
  const answer = stored as unknown as ApiAnswer;
  return { ...answer, headers: { ...answer.headers, [REPLAYED_HEADER]: 'true' } };
}

function notFound(): ProblemError {
  return new ProblemError(404, 'PAYMENT.NOT_FOUND', 'No payment with this id exists for your merchant account.');
}
