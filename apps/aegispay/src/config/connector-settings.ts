import type { z } from 'zod';
import type { adyenSettingsSchema, stripeSettingsSchema } from './config.schema';
import { PSP_CONNECTORS, type GatewayName, type PspSettingsGroup } from './gateway-names';

/** The Stripe connector's settings as configured (secrets as `Secret`s); `secretKey` is set whenever `STRIPE_PSP` runs. */
export type StripeSettings = Readonly<z.output<typeof stripeSettingsSchema>> & { readonly tokenPattern: RegExp };

/** The Adyen connector's settings as configured (secrets as `Secret`s); `apiKey`, `merchantAccount` and `returnUrl` are set whenever `ADYEN_PSP` runs. */
export type AdyenSettings = Readonly<z.output<typeof adyenSettingsSchema>> & { readonly tokenPattern: RegExp };

/**
 * Where each connector setting comes from: the environment variable of each key of the
 * configuration file's `stripe` and `adyen` objects.
 */
export const CONNECTOR_SOURCES = {
  stripe: {
    secretKey: 'AEGISPAY_STRIPE_SECRET_KEY',
    apiBase: 'AEGISPAY_STRIPE_API_BASE',
    timeoutMs: 'AEGISPAY_STRIPE_TIMEOUT_MS',
    returnUrl: 'AEGISPAY_STRIPE_RETURN_URL',
    webhookSecret: 'AEGISPAY_STRIPE_WEBHOOK_SECRET',
    webhookToleranceSeconds: 'AEGISPAY_STRIPE_WEBHOOK_TOLERANCE_S',
    tokenPattern: 'AEGISPAY_STRIPE_TOKEN_PATTERN',
  },
  adyen: {
    apiKey: 'AEGISPAY_ADYEN_API_KEY',
    merchantAccount: 'AEGISPAY_ADYEN_MERCHANT_ACCOUNT',
    returnUrl: 'AEGISPAY_ADYEN_RETURN_URL',
    baseUrl: 'AEGISPAY_ADYEN_BASE_URL',
    environment: 'AEGISPAY_ADYEN_ENVIRONMENT',
    liveEndpointUrlPrefix: 'AEGISPAY_ADYEN_LIVE_PREFIX',
    hmacKey: 'AEGISPAY_ADYEN_HMAC_KEY',
    timeoutMs: 'AEGISPAY_ADYEN_TIMEOUT_MS',
    tokenPattern: 'AEGISPAY_ADYEN_TOKEN_PATTERN',
  },
} as const satisfies { readonly stripe: Record<keyof z.input<typeof stripeSettingsSchema>, string>; readonly adyen: Record<keyof z.input<typeof adyenSettingsSchema>, string> };

/** The settings groups of the configuration: one object per connector. */
export const CONNECTOR_GROUPS = Object.freeze(Object.keys(CONNECTOR_SOURCES) as PspSettingsGroup[]);

/** Connector settings that are secrets: never echoed in an error, a log or a dump. */
export const SECRET_CONNECTOR_SETTINGS: ReadonlySet<string> = new Set(['stripe.secretKey', 'stripe.webhookSecret', 'adyen.apiKey', 'adyen.hmacKey']);

/**
 * Which payment method tokens each connector is routed by default: the tokens its PSP issues.
 * A Stripe PaymentMethod (`pm_…`, and the older `card_…` and `src_…` ids Stripe still accepts as
 * `payment_method`); an Adyen stored payment method written `<shopperReference>:<storedPaymentMethodId>`.
 */
export const DEFAULT_TOKEN_PATTERNS: Readonly<Record<PspSettingsGroup, RegExp>> = Object.freeze({
  stripe: /^(pm|card|src)_[A-Za-z0-9_]+$/,
  adyen: /^[^:\s]{3,}:[A-Za-z0-9_-]{1,64}$/,
});

/** The settings each running connector cannot do without. */
const REQUIRED: Readonly<Record<PspSettingsGroup, readonly string[]>> = { stripe: ['secretKey'], adyen: ['apiKey', 'merchantAccount', 'returnUrl'] };

/** A required connector setting left unset, as a problem naming its variable and its file key. */
export interface MissingConnectorSetting {
  readonly group: PspSettingsGroup;
  readonly key: string;
  readonly message: string;
}

/** The required settings of every connector `gateways` names that are not set. */
export function missingConnectorSettings(gateways: readonly GatewayName[], settings: Readonly<Record<PspSettingsGroup, Readonly<Record<string, unknown>>>>): MissingConnectorSetting[] {
  const missing: MissingConnectorSetting[] = [];
  for (const [name, group] of Object.entries(PSP_CONNECTORS)) {
    if (!gateways.includes(name as GatewayName)) continue;
    for (const key of REQUIRED[group]) {
      if (settings[group][key] !== undefined) continue;
      missing.push({ group, key, message: `is required: AEGISPAY_GATEWAYS names ${name} (or set "${group}": { "${key}": … } in the configuration file)` });
    }
  }
  return missing;
}
