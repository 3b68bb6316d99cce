import { performance } from 'node:perf_hooks';
import type { CreatePaymentInput, PaymentRepository } from '@aegispay/domain';
import type { PaymentOrchestrator, PaymentResult, RefundPaymentResult } from '@aegispay/orchestrator';
import type { ApiMetrics } from './api-metrics';
import { mapErrorToProblem, RETRY_AFTER_SECONDS } from './error-problem.mapper';
import { REPLAYED_HEADER, type ApiAnswer } from './http-response';
import { encodeCursor, pageRequestOf, type ListPaymentsQuery } from './list-query.schemas';
import { paymentResponseBody, paymentView, refundResponseBody, type PaymentListBody, type PaymentView, type RefundListBody } from './payment.view';
import { ProblemError } from './problem-details';
import type { CreatePaymentBody, RefundBody } from './request.schemas';
import type { ServerLifecycle } from './server-lifecycle';

/** What {@link PaymentsService} works with. */
export interface PaymentsServiceDependencies {
  readonly orchestrator: PaymentOrchestrator;
  /** Where payments are listed from (the orchestrator's own repository). */
  readonly repository: Pick<PaymentRepository, 'findPage'>;
  readonly metrics: ApiMetrics;
  readonly lifecycle: ServerLifecycle;
}

/** Facts about the request being served. */
export interface CallContext {
  readonly requestId: string;
  /** The request path (`instance` of problems). */
  readonly instance: string;
}

const PAYMENT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * The API's use cases: each maps an orchestrator result to an HTTP answer, and nothing else. The
 * idempotency of both lives in the orchestrator, which stores domain results and replays them:
 *
 * - **Payments**: the `Idempotency-Key` header is the payment's `idempotencyKey`; the same key and
 *   body replay the first answer (`Idempotent-Replayed: true`), another body is 422, a request still
 *   running is 409 until its answer exists.
 * - **Refunds**: the header is the refund's `idempotencyKey`, kept on the refund the payment
 *   records before the gateway is asked; a retry is answered from that refund (a rejection is
 *   refused again; a refund that failed before the gateway decided is asked for again).
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
    if (result.outcome === 'IN_PROGRESS') {
      throw new ProblemError(
        409,
        'IDEMPOTENCY.REQUEST_IN_PROGRESS',
        'A request with this Idempotency-Key is still being processed (or its gateway outcome is being recovered). Retry later with the same key and body to get its answer.',
        { retryable: true, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
      );
    }
    if (!result.replayed) this.deps.metrics.recordPayment(result, (performance.now() - started) / 1_000);
    return {
      status: statusOfOutcome(result),
      kind: 'json',
      headers: { Location: `/v1/payments/${result.paymentId}`, ...(result.replayed ? { [REPLAYED_HEADER]: 'true' } : {}) },
      body: paymentResponseBody(result),
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

  /**
   * `GET /v1/payments`: a page of the merchant's payments, newest first, and the cursor of the next.
   * @throws ProblemError 400 `REQUEST.INVALID_CURSOR`.
   */
  async listPayments(merchantId: string, query: ListPaymentsQuery): Promise<PaymentListBody> {
    const { filter, after, limit } = pageRequestOf(query);
    const page = await this.deps.repository.findPage({ merchantId, filter, ...(after === undefined ? {} : { after }), ...(limit === undefined ? {} : { limit }) });
    return {
      data: page.payments.map((payment) => paymentView(payment.toSnapshot())),
      hasMore: page.next !== null,
      nextCursor: page.next === null ? null : encodeCursor(page.next),
    };
  }

  /**
   * `GET /v1/payments/:id/refunds`: every refund of one of the merchant's payments, in the order asked.
   * @throws ProblemError 404 `PAYMENT.NOT_FOUND`.
   */
  async listRefunds(merchantId: string, paymentId: string): Promise<RefundListBody> {
    const payment = await this.getPayment(merchantId, paymentId);
    return { data: payment.refunds };
  }

  /** `POST /v1/payments/:id/refunds`: 201 once refunded, 202 while the gateway has not confirmed it. */
  async refundPayment(merchantId: string, paymentId: string, idempotencyKey: string, body: RefundBody, call: CallContext): Promise<ApiAnswer> {
    if (!PAYMENT_ID.test(paymentId)) throw notFound();
    let result: RefundPaymentResult;
    try {
      result = await this.deps.lifecycle.track(() =>
        this.deps.orchestrator.refund(
          paymentId,
          {
            idempotencyKey,
            merchantId,
            ...(body.amount === undefined ? {} : { amount: body.amount }),
            ...(body.reason === undefined ? {} : { reason: body.reason }),
          },
          { requestId: call.requestId, signal: this.deps.lifecycle.signal },
        ),
      );
    } catch (error) {
      this.deps.metrics.recordRefund(mapErrorToProblem(error).problem.code);
      throw error;
    }
    if (!result.replayed) this.deps.metrics.recordRefund(result.outcome);
    return {
      status: result.outcome === 'REFUNDED' ? 201 : 202,
      kind: 'json',
      headers: { Location: `/v1/payments/${paymentId}`, ...(result.replayed ? { [REPLAYED_HEADER]: 'true' } : {}) },
      body: refundResponseBody(result),
    };
  }
}

/**
 * 201 for a payment created with a final outcome — approved, declined, failed or rejected alike:
 * the request was carried out and the resource exists; `outcome` and `payment.status` say how it
 * ended. 202 while it is not final: awaiting the customer, held by the gateway, or being recovered.
 */
export function statusOfOutcome(result: Exclude<PaymentResult, { readonly outcome: 'IN_PROGRESS' }>): number {
  return result.outcome === 'PENDING_RECOVERY' || result.outcome === 'PENDING' || result.outcome === 'REQUIRES_ACTION' ? 202 : 201;
}

function notFound(): ProblemError {
  return new ProblemError(404, 'PAYMENT.NOT_FOUND', 'No payment with this id exists for your merchant account.');
}
