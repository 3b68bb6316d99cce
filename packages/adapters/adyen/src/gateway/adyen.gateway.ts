import { inspect } from 'node:util';
import { CheckoutAPI, Client, Config, EnvironmentEnum } from '@adyen/api-library';
import type {
  ChargeRequest,
  ChargeResult,
  ChargeTechnicalFailure,
  ChargeUnknownOutcome,
  ChargeStatusQuery,
  ChargeStatusResult,
  GatewayType,
  PaymentGateway,
  RefundRequest,
  RefundResult,
  RefundStatusQuery,
  RefundStatusResult,
} from '@aegispay/domain';
import { AdyenConnectionError } from '../errors/adyen.errors';
import { AdyenHttpClient, AdyenTransportFailure } from '../transport/adyen-http-client';
import { resolveAdyenGatewayOptions, type AdyenGatewayOptions, type ResolvedAdyenGatewayOptions } from './adyen-gateway.options';
import { paymentRequestOf, refundRequestOf } from './adyen-requests';
import { classifyAdyenError } from './http-errors';
import { chargeResultOf, chargeStatusOf } from './result-codes';

type CallOptions = NonNullable<Parameters<CheckoutAPI['PaymentsApi']['payments']>[1]>;

/** A lookup answer for a failure: `UNKNOWN` with the reason. */
type Unknown = { readonly status: 'UNKNOWN'; readonly reason: string };

/**
 * The Adyen connector: a {@link PaymentGateway} over the official `@adyen/api-library` (Checkout
 * API v72).
 *
 * - `charge`: `POST /payments` with the stored payment method of the token, `reference` and the
 *   `Idempotency-Key` header both set to the attempt reference, and the payment id and merchant in
 *   `metadata`. The `resultCode` becomes the outcome ({@link ADYEN_RESULT_CODES}).
 * - `getStatus`: what Adyen's webhooks said (the notification log), else — Adyen having no lookup
 *   by merchant reference — a replay of the original request under the same idempotency key while
 *   its deadline is ahead. Adyen answers the first request's answer (or, if the first never
 *   arrived, makes the one payment now), so a replay never charges twice. Never `NOT_FOUND`.
 * - `refund`: `POST /payments/{pspReference}/refunds` with the refund reference as idempotency key.
 *   Adyen answers `received` (PENDING); the REFUND webhook confirms or refuses it.
 */
export class AdyenGateway implements PaymentGateway {
  /** Defaults to `ADYEN`. */
  readonly name: GatewayType;
  readonly #options: ResolvedAdyenGatewayOptions;
  readonly #http: AdyenHttpClient;
  readonly #checkout: CheckoutAPI;

  /** @throws InvalidAdyenOptionError naming the first bad option. */
  constructor(options: AdyenGatewayOptions) {
    this.#options = resolveAdyenGatewayOptions(options);
    this.name = this.#options.name;
    this.#http = new AdyenHttpClient({ baseUrl: this.#options.baseUrl, connectTimeoutMs: this.#options.connectTimeoutMs, clock: this.#options.clock });
    const config = new Config({
      apiKey: this.#options.apiKey,
      environment: this.#options.environment === 'LIVE' ? EnvironmentEnum.LIVE : EnvironmentEnum.TEST,
      connectionTimeoutMillis: this.#options.timeoutMs,
      applicationName: 'aegispay',
      ...(this.#options.liveEndpointUrlPrefix === undefined ? {} : { liveEndpointUrlPrefix: this.#options.liveEndpointUrlPrefix }),
    });
    this.#checkout = new CheckoutAPI(new Client(config, this.#http));
  }

  /** @throws InvalidAdyenRequestError (nothing sent) for a request Adyen cannot take; AdyenConnectionError when Adyen cannot be reached or the signal aborts. */
  async charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult> {
    const body = paymentRequestOf(request, this.#options);
    const timeout = this.callTimeout(request.deadline);
    if (timeout === undefined) {
      return { outcome: 'TECHNICAL_FAILURE', errorCode: 'ADYEN.DEADLINE_PASSED', retryable: false, message: 'The request reached the connector after its deadline; it was not sent to Adyen.' };
    }
    try {
      return chargeResultOf(await this.#checkout.PaymentsApi.payments(body, this.callOptions(request.reference, timeout, signal)));
    } catch (error) {
      return this.callFailure(error);
    }
  }

  /**
   * What became of a charge: what Adyen's webhooks said about `query.reference` when they said it
   * (the final outcome), else the answer of a replay of `query.request` under its idempotency key
   * (see the class comment) while its deadline is ahead. Past the deadline it does not replay —
   * that could make a charge Adyen must no longer make — and answers `UNKNOWN` until the
   * AUTHORISATION webhook arrives; so it does without the original request. `PENDING` while Adyen
   * still processes the first request (error 704). Never `NOT_FOUND`.
   */
  async getStatus(query: ChargeStatusQuery, signal?: AbortSignal): Promise<ChargeStatusResult> {
    const told = this.#options.notifications.charge(query.reference);
    if (told !== undefined) return told.status;
    const request = query.request;
    const cannot = this.cannotReplay(request, 'AUTHORISATION');
    if (cannot !== undefined || request === undefined) return cannot ?? { status: 'UNKNOWN', reason: 'no request to replay' };
    try {
      const answer = await this.#checkout.PaymentsApi.payments(paymentRequestOf(request, this.#options), this.callOptions(request.reference, this.#options.timeoutMs, signal));
      return chargeStatusOf(answer, request);
    } catch (error) {
      return this.lookupFailure(error);
    }
  }

  /** @throws InvalidAdyenRequestError (nothing sent) for a refund Adyen cannot take; AdyenConnectionError when Adyen cannot be reached or the signal aborts. */
  async refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult> {
    const body = refundRequestOf(request, this.#options);
    const timeout = this.callTimeout(request.deadline);
    if (timeout === undefined) {
      return { outcome: 'TECHNICAL_FAILURE', errorCode: 'ADYEN.DEADLINE_PASSED', retryable: false, message: 'The refund reached the connector after its deadline; it was not sent to Adyen.' };
    }
    try {
      const answer = await this.#checkout.ModificationsApi.refundCapturedPayment(request.chargeReference, body, this.callOptions(request.reference, timeout, signal));
      return { outcome: 'PENDING', gatewayReference: answer.pspReference };
    } catch (error) {
      const verdict = classifyAdyenError(error);
      if (verdict?.kind === 'REFUSED' && verdict.validation) return { outcome: 'REJECTED', code: verdict.code, message: verdict.message };
      return this.callFailure(error);
    }
  }

  /**
   * What became of a refund: what the REFUND webhook said (REFUNDED, or REJECTED), else a replay
   * of `query.request` while its deadline is ahead, which Adyen answers `received` again (PENDING)
   * or refuses (REJECTED). Past the deadline, or without the request: `UNKNOWN` until the webhook.
   */
  async getRefundStatus(query: RefundStatusQuery, signal?: AbortSignal): Promise<RefundStatusResult> {
    const told = this.#options.notifications.refund(query.reference);
    if (told !== undefined) return told.status;
    const request = query.request;
    const cannot = this.cannotReplay(request, 'REFUND');
    if (cannot !== undefined || request === undefined) return cannot ?? { status: 'UNKNOWN', reason: 'no request to replay' };
    try {
      const body = refundRequestOf(request, this.#options);
      const answer = await this.#checkout.ModificationsApi.refundCapturedPayment(request.chargeReference, body, this.callOptions(request.reference, this.#options.timeoutMs, signal));
      return { status: 'PENDING', gatewayReference: answer.pspReference };
    } catch (error) {
      const verdict = classifyAdyenError(error);
      if (verdict?.kind === 'REFUSED' && verdict.validation) return { status: 'REJECTED', code: verdict.code, message: verdict.message };
      return this.lookupFailure(error);
    }
  }

  /** Closes idle connections to Adyen. The gateway still works afterwards (it opens new ones). */
  close(): void {
    this.#http.close();
  }

  /** What this connector is configured with, without secrets. */
  toJSON(): { gateway: GatewayType; merchantAccount: string; endpoint: string; timeoutMs: number } {
    return {
      gateway: this.name,
      merchantAccount: this.#options.merchantAccount,
      endpoint: this.#options.baseUrl ?? `Adyen ${this.#options.environment}`,
      timeoutMs: this.#options.timeoutMs,
    };
  }

  /** @internal `util.inspect` (and `console.log`) show {@link toJSON}, never the API key. */
  [inspect.custom](): string {
    return `AdyenGateway ${JSON.stringify(this.toJSON())}`;
  }

  private callTimeout(deadline: number | undefined): number | undefined {
    if (deadline === undefined) return this.#options.timeoutMs;
    const left = deadline - this.#options.clock.now();
    return left > 0 ? Math.min(left, this.#options.timeoutMs) : undefined;
  }

  private callOptions(idempotencyKey: string, timeout: number, signal: AbortSignal | undefined): CallOptions {
    return { idempotencyKey, timeout, ...(signal === undefined ? {} : { signal }) };
  }

  /** Why `request` must not be replayed now (`UNKNOWN`), or `undefined` when it may. */
  private cannotReplay(request: { readonly deadline?: number } | undefined, webhook: string): Unknown | undefined {
    if (request === undefined) {
      return { status: 'UNKNOWN', reason: `Adyen has no lookup by merchant reference: pass the original request so the connector can replay it, or wait for the ${webhook} webhook.` };
    }
    if (request.deadline === undefined || this.#options.clock.now() <= request.deadline) return undefined;
    return {
      status: 'UNKNOWN',
      reason: `The request's deadline has passed: replaying it could make Adyen act on it now, which it must no longer do. The ${webhook} webhook tells whether the first request landed.`,
    };
  }

  /**
   * What a failed charge or refund answers, by {@link classifyAdyenError}: PENDING while Adyen still
   * processes the first request, a technical failure (retryable or not), or UNKNOWN; thrown when
   * nothing was sent or the caller aborted.
   */
  private callFailure(error: unknown): ChargeTechnicalFailure | ChargeUnknownOutcome | { readonly outcome: 'PENDING'; readonly reason: string } {
    const verdict = classifyAdyenError(error);
    if (verdict === undefined) return this.unknownOutcome(error);
    switch (verdict.kind) {
      case 'IN_PROGRESS':
        return { outcome: 'PENDING', reason: verdict.message };
      case 'REFUSED':
      case 'RETRYABLE':
        return { outcome: 'TECHNICAL_FAILURE', errorCode: verdict.code, retryable: verdict.kind === 'RETRYABLE', message: verdict.message };
      case 'MAYBE_PROCESSED':
        return { outcome: 'UNKNOWN', reason: verdict.message };
    }
  }

  /** A charge or refund failed without an HTTP answer: thrown when nothing was sent or the caller aborted, else UNKNOWN. */
  private unknownOutcome(error: unknown): { readonly outcome: 'UNKNOWN'; readonly reason: string } {
    this.throwIfNotSent(error);
    return { outcome: 'UNKNOWN', reason: `${describe(error)}; the request may have reached Adyen: resolve it with getStatus.` };
  }

  /** A lookup failed: PENDING while Adyen still processes the first request, else UNKNOWN; thrown only when the caller aborted. */
  private lookupFailure(error: unknown): Unknown | { readonly status: 'PENDING' } {
    if (error instanceof AdyenTransportFailure && error.kind === 'ABORTED') this.throwIfNotSent(error);
    const verdict = classifyAdyenError(error);
    if (verdict?.kind === 'IN_PROGRESS') return { status: 'PENDING' };
    return { status: 'UNKNOWN', reason: verdict?.message ?? describe(error) };
  }

  private throwIfNotSent(error: unknown): void {
    if (!(error instanceof AdyenTransportFailure)) return;
    const endpoint = this.#options.baseUrl ?? `Adyen ${this.#options.environment}`;
    if (error.kind === 'ABORTED') {
      throw new AdyenConnectionError(this.name, 'ABORTED', error.sent, `The call to ${endpoint} was aborted ${error.sent ? 'after it may have been sent: resolve it with getStatus' : 'before it was sent'}.`, error.cause);
    }
    if (!error.sent) throw new AdyenConnectionError(this.name, 'CONNECTION_FAILED', false, `Could not reach ${endpoint} (${error.message}); nothing was sent.`, error);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
