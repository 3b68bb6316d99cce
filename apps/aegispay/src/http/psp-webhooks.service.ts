import type { GatewayNotification, GatewayWebhookVerifier, WebhookRequest } from '@aegispay/domain';
import { WebhookVerificationError } from '@aegispay/domain';
import type { NotificationOutcome, PaymentOrchestrator } from '@aegispay/orchestrator';
import type { Logger } from 'pino';
import { RETRY_AFTER_SECONDS } from './error-problem.mapper';
import type { ApiAnswer } from './http-response';
import { ProblemError } from './problem-details';
import type { ServerLifecycle } from './server-lifecycle';

/** What {@link PspWebhooksService} works with. */
export interface PspWebhooksServiceDependencies {
  /** The configured connectors' verifiers, by the path segment of their route. */
  readonly verifiers: ReadonlyMap<string, GatewayWebhookVerifier>;
  readonly orchestrator: Pick<PaymentOrchestrator, 'applyNotification'>;
  readonly lifecycle: ServerLifecycle;
  readonly logger: Logger;
}

/** One notification's outcome, as the answer lists it. */
export interface WebhookOutcomeView {
  readonly eventId: string;
  readonly outcome: NotificationOutcome['kind'];
  readonly paymentId: string | null;
}

/**
 * `POST /v1/psp-webhooks/<connector>`: the signature of the raw body is verified by the
 * connector's own verifier (Stripe's `Stripe-Signature` with its timestamp tolerance, Adyen's
 * HMAC of each notification item), then every notification is applied by the orchestrator.
 *
 * - A forged, stale or malformed webhook is 400 and nothing is applied.
 * - A verified webhook is 200 with what each notification came to (applied, no change, a
 *   duplicate event, unmatched, a discrepancy): every one is final, so the PSP stops delivering it.
 * - A notification about a charge being sent right now is 409 (`WEBHOOK.DEFERRED`, retryable):
 *   the PSP delivers the webhook again later, and what was applied before is then a duplicate.
 * - A store that is down is 5xx: the PSP delivers it again.
 *
 * No API key: the PSP's signature is the credential. Neither body nor headers are ever logged.
 */
export class PspWebhooksService {
  constructor(private readonly deps: PspWebhooksServiceDependencies) {}

  async receive(connector: string, request: WebhookRequest, requestId: string): Promise<ApiAnswer> {
    const verifier = this.deps.verifiers.get(connector);
    if (verifier === undefined) {
      const configured = [...this.deps.verifiers.keys()];
      throw new ProblemError(
        404,
        'WEBHOOK.UNKNOWN_CONNECTOR',
        configured.length === 0
          ? 'No PSP connector with a webhook secret is configured: this server takes no PSP webhooks.'
          : `No PSP connector with a webhook secret is configured as "${connector.slice(0, 32)}". Configured: ${configured.join(', ')}.`,
      );
    }
    const notifications = this.verify(verifier, request);
    const outcomes: NotificationOutcome[] = [];
    for (const notification of notifications) {
      outcomes.push(await this.deps.lifecycle.track(() => this.deps.orchestrator.applyNotification(notification, { requestId })));
    }
    this.log(verifier, notifications, outcomes, requestId);
    const views = outcomes.map(viewOf);
    const deferred = outcomes.filter((outcome) => outcome.kind === 'DEFERRED');
    if (deferred.length > 0) {
      throw new ProblemError(
        409,
        'WEBHOOK.DEFERRED',
        `${deferred.length} of ${outcomes.length} notification(s) concern a charge being sent right now; deliver the webhook again later (what was applied is then recognised as a duplicate).`,
        { retryable: true, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
      );
    }
    return { status: 200, kind: 'json', headers: {}, body: { received: outcomes.length, outcomes: views } };
  }

  private verify(verifier: GatewayWebhookVerifier, request: WebhookRequest): readonly GatewayNotification[] {
    try {
      return verifier.verify(request);
    } catch (error) {
      if (!WebhookVerificationError.is(error)) throw error;
      // The verifier's message names what was wrong (never the secret, never the body).
      throw new ProblemError(400, error.code, `${error.message} Nothing was applied.`, { cause: error });
    }
  }

  private log(verifier: GatewayWebhookVerifier, notifications: readonly GatewayNotification[], outcomes: readonly NotificationOutcome[], requestId: string): void {
    outcomes.forEach((outcome, index) => {
      const notification = notifications[index] as GatewayNotification;
      const fields = { requestId, gateway: verifier.gateway, eventId: outcome.eventId, type: notification.type, outcome: outcome.kind, paymentId: paymentIdOf(outcome) };
      if (outcome.kind === 'DISCREPANCY') this.deps.logger.error({ ...fields, reason: outcome.reason }, 'gateway notification contradicts a settled record');
      else this.deps.logger.info(fields, 'gateway notification');
    });
  }
}

function paymentIdOf(outcome: NotificationOutcome): string | null {
  return 'paymentId' in outcome ? outcome.paymentId : null;
}

function viewOf(outcome: NotificationOutcome): WebhookOutcomeView {
  return { eventId: outcome.eventId, outcome: outcome.kind, paymentId: paymentIdOf(outcome) };
}
