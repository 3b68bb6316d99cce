import { inspect } from 'node:util';
import {
  SystemClock,
  WebhookVerificationError,
  type Clock,
  type GatewayNotification,
  type GatewayType,
  type GatewayWebhookVerifier,
  type WebhookRequest,
} from '@aegispay/domain';
import Stripe from 'stripe';
import { stripeOptionChecks } from '../errors/stripe.errors';
import { STRIPE_GATEWAY_DEFAULTS } from '../gateway/stripe-gateway.options';
import { notificationsOfEvent, UnexpectedEventObjectError } from './stripe-event.mapping';

const checks = stripeOptionChecks('StripeWebhookVerifier');

/** Configuration of {@link StripeWebhookVerifier}. */
export interface StripeWebhookVerifierOptions {
  /** The endpoint's signing secret (`whsec_…`, from the Dashboard or `stripe listen`). Required; never logged. */
  readonly webhookSecret: string;
  /** The gateway the notifications are for. Defaults to `STRIPE`. */
  readonly name?: GatewayType;
  /** Oldest signature timestamp accepted, seconds before now. Defaults to 300 (Stripe's own default). */
  readonly toleranceSeconds?: number;
  /** Time the timestamp is compared with. Defaults to the system clock. */
  readonly clock?: Clock;
}

/**
 * Verifies Stripe webhooks with the SDK's `webhooks.constructEvent` (the `Stripe-Signature` header:
 * an HMAC-SHA256 of `${t}.${body}` with the endpoint's secret, and the age of `t`) and reads them
 * as {@link GatewayNotification}s: PaymentIntent events as the charge's status, Refund events
 * (`refund.*`, `charge.refund.updated`) as the refund's, each with the Stripe event id, so that
 * the same event is applied once. Other event types verify and yield nothing.
 *
 * A missing or forged signature throws `WEBHOOK.INVALID_SIGNATURE`, an old one `WEBHOOK.STALE`, a
 * malformed header or body `WEBHOOK.MALFORMED`. The verifier keeps no state: a replayed event
 * verifies again (within the tolerance) with the same `eventId`, and the receiver's store of
 * applied event ids is what makes it a no-op.
 */
export class StripeWebhookVerifier implements GatewayWebhookVerifier {
  readonly gateway: GatewayType;
  readonly #secret: string;
  readonly #toleranceSeconds: number;
  readonly #clock: Clock;

  /** @throws InvalidStripeOptionError for a missing secret or a bad tolerance. */
  constructor(options: StripeWebhookVerifierOptions) {
    if (typeof options?.webhookSecret !== 'string' || !/^whsec_\S+$/.test(options.webhookSecret)) {
      throw checks.invalidSecret('webhookSecret', 'is required: the endpoint signing secret, whsec_…');
    }
    const tolerance = checks.integer('toleranceSeconds', options.toleranceSeconds, 300, { min: 1 });
    this.gateway = options.name ?? STRIPE_GATEWAY_DEFAULTS.name;
    this.#secret = options.webhookSecret;
    this.#toleranceSeconds = tolerance;
    this.#clock = options.clock ?? new SystemClock();
  }

  /** The notifications of a verified webhook. @throws WebhookVerificationError when it is not proven genuine and fresh. */
  verify(request: WebhookRequest): readonly GatewayNotification[] {
    const header = request.headers['stripe-signature'];
    if (header === undefined || header === '') throw this.#error('WEBHOOK.INVALID_SIGNATURE', 'has no Stripe-Signature header');
    if (typeof header !== 'string') throw this.#error('WEBHOOK.MALFORMED', 'has more than one Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(Buffer.from(request.rawBody), header, this.#secret, this.#toleranceSeconds, undefined, this.#clock.now());
    } catch (error) {
      throw this.#verificationError(error);
    }
    try {
      return notificationsOfEvent(this.gateway, event);
    } catch (error) {
      if (error instanceof UnexpectedEventObjectError) throw this.#error('WEBHOOK.MALFORMED', error.message, error);
      throw error;
    }
  }

  /** The configuration without the secret. */
  toJSON(): { gateway: string; toleranceSeconds: number } {
    return { gateway: this.gateway, toleranceSeconds: this.#toleranceSeconds };
  }

  /** What `util.inspect` shows: the configuration without the secret. */
  [inspect.custom](): string {
    return `StripeWebhookVerifier ${JSON.stringify(this.toJSON())}`;
  }

  #verificationError(error: unknown): WebhookVerificationError {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      if (/tolerance/i.test(error.message)) {
        return this.#error('WEBHOOK.STALE', `is older than ${this.#toleranceSeconds} s (a replay, or a clock far off): refused`, error);
      }
      if (/extract|No signatures found with expected scheme|No webhook payload/.test(error.message)) {
        return this.#error('WEBHOOK.MALFORMED', `has an unreadable Stripe-Signature header or an empty body (${error.message})`, error);
      }
      return this.#error('WEBHOOK.INVALID_SIGNATURE', 'has a Stripe-Signature that does not match its body and the endpoint secret', error);
    }
    // The signature matched but the body is not a JSON event.
    return this.#error('WEBHOOK.MALFORMED', 'has a valid signature but a body that is not a Stripe event', error);
  }

  #error(code: 'WEBHOOK.INVALID_SIGNATURE' | 'WEBHOOK.STALE' | 'WEBHOOK.MALFORMED', what: string, cause?: unknown): WebhookVerificationError {
    return new WebhookVerificationError(code, this.gateway, `The ${this.gateway} webhook ${what}. Nothing was applied.`, cause === undefined ? undefined : { cause });
  }
}
