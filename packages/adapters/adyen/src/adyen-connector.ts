import { AdyenGateway } from './gateway/adyen.gateway';
import type { AdyenGatewayOptions } from './gateway/adyen-gateway.options';
import { InMemoryAdyenNotificationLog } from './webhooks/adyen-notification-log';
import { AdyenWebhookVerifier } from './webhooks/adyen-webhook.verifier';

/** One Adyen account's configuration: the gateway's options plus the webhook's HMAC key. */
export interface AdyenConnectorOptions extends AdyenGatewayOptions {
  /** The HMAC key of the account's standard webhook, in hex. Required. */
  readonly hmacKey: string;
}

/** The gateway and the webhook verifier of one Adyen account, built from one configuration. */
export interface AdyenConnector {
  readonly gateway: AdyenGateway;
  readonly webhookVerifier: AdyenWebhookVerifier;
}

/**
 * Builds the {@link AdyenGateway} and the {@link AdyenWebhookVerifier} of one account; the
 * verifier applies only the account's merchant account, carries the gateway's name, and records
 * what it verifies in the notification log the gateway's lookups read first.
 * @throws InvalidAdyenOptionError naming the first bad option.
 */
export function createAdyenConnector(options: AdyenConnectorOptions): AdyenConnector {
  const { hmacKey, ...gatewayOptions } = options;
  const notifications = options.notifications ?? new InMemoryAdyenNotificationLog();
  const gateway = new AdyenGateway({ ...gatewayOptions, notifications });
  const webhookVerifier = new AdyenWebhookVerifier({ hmacKey, merchantAccount: options.merchantAccount, name: gateway.name, notifications });
  return { gateway, webhookVerifier };
}
