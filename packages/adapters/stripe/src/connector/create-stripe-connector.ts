import { StripeGateway } from '../gateway/stripe-gateway';
import type { StripeGatewayOptions } from '../gateway/stripe-gateway.options';
import { StripeWebhookVerifier } from '../webhooks/stripe-webhook-verifier';

/** Everything a Stripe account needs in one configuration. */
export interface StripeConnectorOptions extends StripeGatewayOptions {
  /** Signing secret of the webhook endpoint (`whsec_…`). Without it, no verifier is built. */
  readonly webhookSecret?: string;
  /** Oldest webhook signature accepted, seconds. Defaults to 300. */
  readonly webhookToleranceSeconds?: number;
}

/** The gateway and, when a webhook secret is configured, its webhook verifier. */
export interface StripeConnector {
  readonly gateway: StripeGateway;
  readonly webhooks: StripeWebhookVerifier | undefined;
}

/**
 * Builds the Stripe gateway and its webhook verifier from one configuration (same name, same clock).
 * @throws InvalidStripeOptionError naming the first bad option.
 */
export function createStripeConnector(options: StripeConnectorOptions): StripeConnector {
  const gateway = new StripeGateway(options);
  const webhooks =
    options.webhookSecret === undefined
      ? undefined
      : new StripeWebhookVerifier({
          webhookSecret: options.webhookSecret,
          name: gateway.name,
          ...(options.webhookToleranceSeconds === undefined ? {} : { toleranceSeconds: options.webhookToleranceSeconds }),
          ...(options.clock === undefined ? {} : { clock: options.clock }),
        });
  return { gateway, webhooks };
}
