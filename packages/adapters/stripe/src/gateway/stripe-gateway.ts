import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { addAbortListener } from 'node:events';
import { inspect } from 'node:util';
import type {
  ChargeRequest,
  ChargeResult,
  ChargeStatusQuery,
  ChargeStatusResult,
  GatewayType,
  PaymentGateway,
  RefundRequest,
  RefundResult,
  RefundStatusQuery,
  RefundStatusResult,
} from '@aegispay/domain';
import Stripe from 'stripe';
import { chargeResultOfPaymentIntent, chargeStatusOfPaymentIntent } from './payment-intent.mapping';
import { refundResultOfRefund, refundStatusOfRefund } from './refund.mapping';
import { ReplayWindow } from './replay-window';
import { classifyStripeFailure, type StripeFailure } from './stripe-failure';
import { chargeResultOfFailure, chargeStatusOfFailure, refundResultOfFailure, refundStatusOfFailure } from './stripe-failure.mapping';
import { resolveStripeGatewayOptions, type ResolvedStripeGatewayOptions, type StripeGatewayOptions } from './stripe-gateway.options';
import { paymentIntentParams, refundParams } from './stripe-requests';

/** How one SDK call ended. */
type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: StripeFailure; readonly error: unknown };

/**
 * The Stripe connector: a {@link PaymentGateway} over the official `stripe` SDK.
 *
 * - `charge` creates and confirms a PaymentIntent in one call with the payment method token,
 *   automatic capture, `Idempotency-Key` = the request's reference, and metadata carrying the
 *   payment id, the reference and the merchant id.
 * - `refund` creates a Refund on the PaymentIntent (`Idempotency-Key` = the refund's reference).
 * - `getStatus` / `getRefundStatus` retrieve by id when the `gatewayReference` is known; otherwise
 *   they replay the original request under its key, which Stripe answers with the first result for
 *   24 hours (or carries out, once, if the first never arrived). They never answer `NOT_FOUND`.
 * - The SDK never retries on its own (`maxNetworkRetries: 0`): retries are the orchestrator's.
 *
 * The secret key lives only inside the SDK client: it is not a property, and `toJSON()` and
 * `util.inspect` show the API base and timeouts only. Call {@link close} when done.
 */
export class StripeGateway implements PaymentGateway {
  readonly name: GatewayType;
  readonly #options: ResolvedStripeGatewayOptions;
  readonly #stripe: Stripe;
  readonly #agent: HttpAgent;
  readonly #replays: ReplayWindow;
  /** HTTP attempts the SDK made, per idempotency key of a call in progress. */
  readonly #attempts = new Map<string, { count: number }[]>();

  /** @throws InvalidStripeOptionError for a missing or malformed option. */
  constructor(options: StripeGatewayOptions) {
    this.#options = resolveStripeGatewayOptions(options);
    this.name = this.#options.name;
    const { host, port, protocol, timeoutMs } = this.#options;
    this.#agent = protocol === 'https' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.#stripe = new Stripe(options.secretKey, {
      host,
      port,
      protocol,
      timeout: timeoutMs,
      maxNetworkRetries: 0,
      telemetry: false,
      httpAgent: this.#agent,
      appInfo: { name: 'AegisPay' },
    });
    this.#stripe.on('request', (event: Stripe.RequestEvent) => {
      const key = event.idempotency_key;
      if (key !== undefined) for (const tracker of this.#attempts.get(key) ?? []) tracker.count += 1;
    });
    this.#replays = new ReplayWindow(this.#options.clock, this.#options.replayWindowMs);
  }

  /** Creates and confirms a PaymentIntent for `request` (see the README's error-mapping table for the answers). */
  async charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult> {
    const params = paymentIntentParams(this.name, request, this.#options.returnUrl);
    const timeout = this.#timeoutFor(request.deadline);
    if (timeout === undefined) return this.#expired('charge', request.reference);
    this.#replays.noteSent(request.reference);
    const outcome = await this.#call(request.reference, signal, timeout, (options) => this.#stripe.paymentIntents.create(params, options));
    return outcome.ok ? chargeResultOfPaymentIntent(outcome.value) : chargeResultOfFailure(this.name, request.reference, outcome.failure, outcome.error);
  }

  /** What became of a charge: by PaymentIntent id, or by replaying `query.request` within the replay window; never `NOT_FOUND`. */
  async getStatus(query: ChargeStatusQuery, signal?: AbortSignal): Promise<ChargeStatusResult> {
    return this.#lookUp(query, signal, {
      retrieve: (id, options) => this.#stripe.paymentIntents.retrieve(id, {}, options),
      replay: (request, options) => this.#stripe.paymentIntents.create(paymentIntentParams(this.name, request, this.#options.returnUrl), options),
      found: chargeStatusOfPaymentIntent,
      failed: (failure) => chargeStatusOfFailure(this.name, failure),
    });
  }

  /** Creates a Refund on the PaymentIntent `request.chargeReference`. */
  async refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult> {
    const params = refundParams(this.name, request);
    const timeout = this.#timeoutFor(request.deadline);
    if (timeout === undefined) return this.#expired('refund', request.reference);
    this.#replays.noteSent(request.reference);
    const outcome = await this.#call(request.reference, signal, timeout, (options) => this.#stripe.refunds.create(params, options));
    return outcome.ok ? refundResultOfRefund(outcome.value) : refundResultOfFailure(this.name, request.reference, outcome.failure, outcome.error);
  }

  /** What became of a refund: by Refund id, or by replaying `query.request` within the replay window; never `NOT_FOUND`. */
  async getRefundStatus(query: RefundStatusQuery, signal?: AbortSignal): Promise<RefundStatusResult> {
    return this.#lookUp(query, signal, {
      retrieve: (id, options) => this.#stripe.refunds.retrieve(id, {}, options),
      replay: (request, options) => this.#stripe.refunds.create(refundParams(this.name, request), options),
      found: refundStatusOfRefund,
      failed: (failure, replayed) => refundStatusOfFailure(this.name, failure, replayed),
    });
  }

  /** Closes the connections kept alive to Stripe. Calls made afterwards open new ones. */
  close(): void {
    this.#agent.destroy();
  }

  /** The configuration without secrets: name, API base, timeouts, return URL. */
  toJSON(): { name: string; api: string; timeoutMs: number; replayWindowMs: number; returnUrl: string | null } {
    const { host, port, protocol, timeoutMs, replayWindowMs, returnUrl } = this.#options;
    return { name: this.name, api: `${protocol}://${host}:${port}`, timeoutMs, replayWindowMs, returnUrl: returnUrl ?? null };
  }

  /** What `util.inspect` (and so `console.log`) shows: the configuration without secrets. */
  [inspect.custom](): string {
    return `StripeGateway ${JSON.stringify(this.toJSON())}`;
  }

  /**
   * A status lookup: by id when the gateway reference is known, else by replaying the original request
   * under its key when that is still safe, else `UNKNOWN` with what would resolve it.
   */
  async #lookUp<Request extends ChargeRequest | RefundRequest, Found, Status>(
    query: { readonly reference: string; readonly request?: Request; readonly gatewayReference?: string },
    signal: AbortSignal | undefined,
    steps: {
      readonly retrieve: (id: string, options: Stripe.RequestOptions) => Promise<Found>;
      readonly replay: (request: Request, options: Stripe.RequestOptions) => Promise<Found>;
      readonly found: (value: Found) => Status;
      readonly failed: (failure: StripeFailure, replayed: boolean) => Status;
    },
  ): Promise<Status | { status: 'UNKNOWN'; reason: string }> {
    const id = query.gatewayReference;
    const request = query.request;
    if (id === undefined) {
      const refusal = this.#replayRefusal(query.reference, request);
      if (refusal !== undefined || request === undefined) return { status: 'UNKNOWN', reason: refusal ?? '' };
    }
    const outcome =
      id === undefined
        ? await this.#call(query.reference, signal, this.#options.timeoutMs, (options) => steps.replay(request as Request, options))
        : await this.#call(undefined, signal, this.#options.timeoutMs, (options) => steps.retrieve(id, options));
    return outcome.ok ? steps.found(outcome.value) : steps.failed(outcome.failure, id === undefined);
  }

  /** Why the status of `reference` cannot be resolved by replaying `request`, or `undefined`. */
  #replayRefusal(reference: string, request: ChargeRequest | RefundRequest | undefined): string | undefined {
    if (request === undefined) {
      return (
        `${this.name} has no lookup by our reference: give the gatewayReference (from the answer or a webhook) or the original ` +
        `request (to replay it under its idempotency key) to resolve "${reference}"`
      );
    }
    if (request.reference !== reference) return `the request given carries reference "${request.reference}", not "${reference}"`;
    return this.#replays.refusal(reference, request.deadline);
  }

  /** The SDK timeout of a call: the configured one, cut to the deadline; `undefined` once it has passed. */
  #timeoutFor(deadline: number | undefined): number | undefined {
    if (deadline === undefined) return this.#options.timeoutMs;
    const left = Math.floor(deadline - this.#options.clock.now());
    return left < 1 ? undefined : Math.min(this.#options.timeoutMs, left);
  }

  #expired(operation: 'charge' | 'refund', reference: string): { outcome: 'TECHNICAL_FAILURE'; errorCode: string; retryable: boolean; message: string } {
    return {
      outcome: 'TECHNICAL_FAILURE',
      errorCode: 'REQUEST_EXPIRED',
      retryable: true,
      message: `the ${operation} "${reference}" reached its deadline before it was sent to ${this.name}; nothing was sent`,
    };
  }

  /**
   * Runs one SDK call with its idempotency key and timeout, classifying a failure. A call aborted
   * by `signal` rejects with the signal's reason at once (the HTTP exchange goes on until its
   * timeout: what it did is found by a status lookup). Errors that are not the SDK's are rethrown.
   */
  async #call<T>(key: string | undefined, signal: AbortSignal | undefined, timeout: number, call: (options: Stripe.RequestOptions) => Promise<T>): Promise<Outcome<T>> {
    signal?.throwIfAborted();
    const tracker = { count: 0 };
    if (key !== undefined) this.#attempts.set(key, [...(this.#attempts.get(key) ?? []), tracker]);
    const options: Stripe.RequestOptions = { timeout, maxNetworkRetries: 0, ...(key === undefined ? {} : { idempotencyKey: key }) };
    try {
      return { ok: true, value: await raceAbort(call(options), signal) };
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason;
      const failure = classifyStripeFailure(error, tracker.count);
      if (failure === undefined) throw error;
      return { ok: false, failure, error };
    } finally {
      if (key !== undefined) this.#untrack(key, tracker);
    }
  }

  #untrack(key: string, tracker: { count: number }): void {
    const left = (this.#attempts.get(key) ?? []).filter((other) => other !== tracker);
    if (left.length === 0) this.#attempts.delete(key);
    else this.#attempts.set(key, left);
  }
}

/** `promise`, or the signal's reason as soon as it aborts, whichever comes first. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const listener = addAbortListener(signal, () => reject(signal.reason as unknown));
    void promise.then(resolve, reject).finally(() => listener[Symbol.dispose]());
  });
}
