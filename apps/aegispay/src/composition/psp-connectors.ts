import { AdyenGateway, createAdyenConnector, type AdyenGatewayOptions } from '@aegispay/adyen';
import { ValidationError, type Clock, type GatewayWebhookVerifier, type PaymentGateway } from '@aegispay/domain';
import { createStripeConnector, type StripeConnectorOptions } from '@aegispay/stripe';
import { ConfigurationError, type AppConfig } from '../config/app-config';
import { CONNECTOR_SOURCES } from '../config/connector-settings';
import { isPspConnector, PSP_CONNECTORS, type PspConnectorName, type PspSettingsGroup } from '../config/gateway-names';

/** A connector to a real PSP as the app composed it. */
export interface PspConnector {
  /** Its gateway name (`STRIPE_PSP`, `ADYEN_PSP`). */
  readonly name: PspConnectorName;
  /** Its settings group, also the segment of its webhook route (`stripe`, `adyen`). */
  readonly segment: PspSettingsGroup;
  /** What the orchestrator calls; closed (idle connections dropped) when the app closes. */
  readonly gateway: PaymentGateway & { close(): void };
  /** Reads the PSP's signed webhooks; `undefined` when no webhook secret (Stripe) or HMAC key (Adyen) is configured. */
  readonly webhooks: GatewayWebhookVerifier | undefined;
  /** The payment method tokens routed to it (those its PSP issued). */
  readonly tokenPattern: RegExp;
}

/** A connector option's name, where it differs from its setting's. */
const OPTION_SETTINGS: Readonly<Record<PspSettingsGroup, Readonly<Record<string, string>>>> = {
  stripe: { api: 'apiBase', 'api.host': 'apiBase', 'api.port': 'apiBase', 'api.protocol': 'apiBase', toleranceSeconds: 'webhookToleranceSeconds' },
  adyen: {},
};

/**
 * Builds the connectors `config.gateways` names, in its order, each on its settings and `clock`.
 *
 * @throws ConfigurationError naming the variable of a setting a connector refuses (a publishable
 *   Stripe key, an Adyen `LIVE` environment without its URL prefix…).
 */
export function createPspConnectors(config: AppConfig, clock: Clock): PspConnector[] {
  const connectors: PspConnector[] = [];
  try {
    for (const name of config.gateways) {
      if (!isPspConnector(name)) continue;
      connectors.push(name === 'STRIPE_PSP' ? stripeConnector(config, clock) : adyenConnector(config, clock));
    }
  } catch (error) {
    for (const built of connectors) built.gateway.close();
    throw asConfigurationError(error, connectors.length, config);
  }
  return connectors;
}

function stripeConnector(config: AppConfig, clock: Clock): PspConnector {
  const settings = config.stripe;
  if (settings.secretKey === undefined) throw new ConfigurationError([`${CONNECTOR_SOURCES.stripe.secretKey}: is required: AEGISPAY_GATEWAYS names STRIPE_PSP`]);
  const options: StripeConnectorOptions = {
    name: 'STRIPE_PSP',
    secretKey: settings.secretKey.reveal(),
    clock,
    ...(settings.apiBase === undefined ? {} : { api: settings.apiBase }),
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
    ...(settings.returnUrl === undefined ? {} : { returnUrl: settings.returnUrl }),
    ...(settings.webhookSecret === undefined ? {} : { webhookSecret: settings.webhookSecret.reveal() }),
    ...(settings.webhookToleranceSeconds === undefined ? {} : { webhookToleranceSeconds: settings.webhookToleranceSeconds }),
  };
  const { gateway, webhooks } = createStripeConnector(options);
  return { name: 'STRIPE_PSP', segment: PSP_CONNECTORS.STRIPE_PSP, gateway, webhooks, tokenPattern: settings.tokenPattern };
}

function adyenConnector(config: AppConfig, clock: Clock): PspConnector {
  const settings = config.adyen;
  const { apiKey, merchantAccount, returnUrl } = settings;
  if (apiKey === undefined || merchantAccount === undefined || returnUrl === undefined) {
    throw new ConfigurationError([`${CONNECTOR_SOURCES.adyen.apiKey}, ${CONNECTOR_SOURCES.adyen.merchantAccount} and ${CONNECTOR_SOURCES.adyen.returnUrl}: are required: AEGISPAY_GATEWAYS names ADYEN_PSP`]);
  }
  const options: AdyenGatewayOptions = {
    name: 'ADYEN_PSP',
    apiKey: apiKey.reveal(),
    merchantAccount,
    returnUrl,
    clock,
    ...(settings.environment === undefined ? {} : { environment: settings.environment }),
    ...(settings.liveEndpointUrlPrefix === undefined ? {} : { liveEndpointUrlPrefix: settings.liveEndpointUrlPrefix }),
    ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
  };
  const segment = PSP_CONNECTORS.ADYEN_PSP;
  if (settings.hmacKey === undefined) return { name: 'ADYEN_PSP', segment, gateway: new AdyenGateway(options), webhooks: undefined, tokenPattern: settings.tokenPattern };
  const { gateway, webhookVerifier } = createAdyenConnector({ ...options, hmacKey: settings.hmacKey.reveal() });
  return { name: 'ADYEN_PSP', segment, gateway, webhooks: webhookVerifier, tokenPattern: settings.tokenPattern };
}

/** A connector's refusal of an option, as the configuration problem of the setting behind it. */
function asConfigurationError(error: unknown, index: number, config: AppConfig): unknown {
  if (ConfigurationError.is(error) || !ValidationError.is(error)) return error;
  const name = config.gateways.filter(isPspConnector)[index];
  if (name === undefined) return error;
  const group = PSP_CONNECTORS[name];
  const setting = OPTION_SETTINGS[group][error.field] ?? error.field;
  const variable = (CONNECTOR_SOURCES[group] as Readonly<Record<string, string>>)[setting];
  return new ConfigurationError([`${variable ?? `${name} (${group}.${error.field})`}: ${error.message}`]);
}
