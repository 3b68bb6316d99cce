import { SystemClock, type Clock, type GatewayType } from '@aegispay/domain';
import { adyenOptionChecks } from '../errors/adyen.errors';
import { InMemoryAdyenNotificationLog, type AdyenNotificationLog } from '../webhooks/adyen-notification-log';

/**
 * How a payment with a stored payment method is flagged to Adyen (`recurringProcessingModel`;
 * `shopperInteraction` is always `ContAuth`, as Adyen documents for every payment after the one
 * that created the token).
 * - `CardOnFile`: the shopper is paying now with details stored earlier (one-click).
 * - `Subscription`: a charge on a fixed schedule, shopper absent.
 * - `UnscheduledCardOnFile`: a charge on no fixed schedule (top-ups), shopper absent.
 */
export type AdyenRecurringProcessingModel = 'CardOnFile' | 'Subscription' | 'UnscheduledCardOnFile';

/** Options of {@link AdyenGateway}. The API key is a secret: it never appears in errors, logs or `toJSON()`. */
export interface AdyenGatewayOptions {
  /** Adyen API key of a web-service user with the Checkout webservice and Merchant Recurring roles. Required. */
  readonly apiKey: string;
  /** The merchant account the payments are made on. Required. */
  readonly merchantAccount: string;
  /** Where Adyen sends the shopper back after a redirect (Adyen requires it on every payment). Required. */
  readonly returnUrl: string;
  /** Adyen's test or live platform, used when `baseUrl` is not given. Defaults to `TEST`. */
  readonly environment?: 'TEST' | 'LIVE';
  /** The live URL prefix of the company account (required for `LIVE` unless `baseUrl` is given). */
  readonly liveEndpointUrlPrefix?: string;
  /**
   * Sends every call to this origin instead of Adyen's (the Adyen stub, a proxy), keeping the
   * versioned path the SDK uses (`/v72/payments`). For example `http://127.0.0.1:8090`.
   */
  readonly baseUrl?: string;
  /** The gateway's name for routing, breakers and payments. Defaults to `ADYEN`. */
  readonly name?: GatewayType;
  /** Deadline of one call, from sending to the whole answer. Defaults to 30 000 ms (the SDK's default). */
  readonly timeoutMs?: number;
  /** How long to wait for a connection; a call that never connected was never sent. Defaults to 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** See {@link AdyenRecurringProcessingModel}. Defaults to `CardOnFile`. */
  readonly recurringProcessingModel?: AdyenRecurringProcessingModel;
  /**
   * What Adyen's webhooks said (the verifier records into it; lookups read it first). Share one log
   * with the account's `AdyenWebhookVerifier` — `createAdyenConnector` does. Defaults to a log of
   * its own in memory, which only webhooks recorded through this gateway's log fill.
   */
  readonly notifications?: AdyenNotificationLog;
  /** The clock of timeouts and deadlines. Defaults to the system clock. */
  readonly clock?: Clock;
}

/** {@link AdyenGatewayOptions} checked, with every default applied. */
export interface ResolvedAdyenGatewayOptions {
  readonly apiKey: string;
  readonly merchantAccount: string;
  readonly returnUrl: string;
  readonly environment: 'TEST' | 'LIVE';
  readonly liveEndpointUrlPrefix: string | undefined;
  readonly baseUrl: string | undefined;
  readonly name: GatewayType;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly recurringProcessingModel: AdyenRecurringProcessingModel;
  readonly notifications: AdyenNotificationLog;
  readonly clock: Clock;
}

const MODELS: readonly AdyenRecurringProcessingModel[] = ['CardOnFile', 'Subscription', 'UnscheduledCardOnFile'];
const checks = adyenOptionChecks('AdyenGateway');

/** Checks `options` and applies the defaults. @throws InvalidAdyenOptionError naming the first bad option. */
export function resolveAdyenGatewayOptions(options: AdyenGatewayOptions): ResolvedAdyenGatewayOptions {
  const environment = checks.oneOf('environment', options.environment, 'TEST', ['TEST', 'LIVE']);
  const baseUrl = options.baseUrl === undefined ? undefined : checkBaseUrl(options.baseUrl);
  if (environment === 'LIVE' && baseUrl === undefined && !nonEmpty(options.liveEndpointUrlPrefix)) {
    throw checks.invalid('liveEndpointUrlPrefix', 'is required on LIVE (Customer Area > Developers > API URLs), unless baseUrl is given', options.liveEndpointUrlPrefix);
  }
  const model = checks.oneOf('recurringProcessingModel', options.recurringProcessingModel, 'CardOnFile', MODELS);
  return {
    apiKey: secret('apiKey', options.apiKey, 'the API key of your web-service user (Customer Area > Developers > API credentials)'),
    merchantAccount: text('merchantAccount', options.merchantAccount, 'the merchant account name, for example "MyCompanyECOM"'),
    returnUrl: url('returnUrl', options.returnUrl),
    environment,
    liveEndpointUrlPrefix: options.liveEndpointUrlPrefix,
    baseUrl,
    name: text('name', options.name ?? 'ADYEN', 'a gateway name such as "ADYEN"'),
    timeoutMs: checks.number('timeoutMs', options.timeoutMs, 30_000, { above: 0 }),
    connectTimeoutMs: checks.number('connectTimeoutMs', options.connectTimeoutMs, 5_000, { above: 0 }),
    recurringProcessingModel: model,
    notifications: options.notifications ?? new InMemoryAdyenNotificationLog(),
    clock: options.clock ?? new SystemClock(),
  };
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function text(field: string, value: unknown, expected: string): string {
  if (!nonEmpty(value)) throw checks.invalid(field, `must be a non-empty string: ${expected}`, value);
  return value;
}

function secret(field: string, value: unknown, expected: string): string {
  // The value is never echoed, not even in part.
  if (!nonEmpty(value) || /\s/.test(value)) throw checks.invalidSecret(field, `must be a non-empty string without spaces: ${expected}`);
  return value;
}

function url(field: string, value: unknown): string {
  const parsed = nonEmpty(value) ? parseUrl(value) : null;
  if (parsed === null) throw checks.invalid(field, 'must be an absolute URL, for example "https://shop.example.com/checkout/return"', value);
  return String(value);
}

function checkBaseUrl(value: string): string {
  const parsed = nonEmpty(value) ? parseUrl(value) : null;
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search !== '' || parsed.hash !== '') {
    throw checks.invalid('baseUrl', 'must be an http(s) URL without query or fragment, for example "http://127.0.0.1:8090"', value);
  }
  return value.replace(/\/+$/, '');
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
