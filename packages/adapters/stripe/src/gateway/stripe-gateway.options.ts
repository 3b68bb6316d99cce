import { SystemClock, type Clock, type GatewayType } from '@aegispay/domain';
import { stripeOptionChecks } from '../errors/stripe.errors';

/** Where the Stripe API answers. */
export interface StripeApiBase {
  /** Defaults to `api.stripe.com`. */
  readonly host?: string;
  /** Defaults to 443 for `https`, 80 for `http`. */
  readonly port?: number;
  /** Defaults to `https`. `http` is for a local stub only. */
  readonly protocol?: 'http' | 'https';
}

/** Configuration of {@link StripeGateway}. */
export interface StripeGatewayOptions {
  /** Secret API key (`sk_live_…`, `sk_test_…`, or a restricted `rk_…`). Required; never logged, serialised or put in an error. */
  readonly secretKey: string;
  /**
   * Where the API is: host, port and protocol, or a base URL such as `http://127.0.0.1:12111` (what
   * the stub prints). Defaults to `https://api.stripe.com:443`.
   */
  readonly api?: StripeApiBase | string;
  /**
   * Longest wait for one HTTP exchange with Stripe, ms (the SDK's socket timeout). A charge whose
   * request carries a `deadline` waits no longer than that deadline. Defaults to 30 000 ms.
   */
  readonly timeoutMs?: number;
  /** The name this gateway goes by in routing, breakers and payments. Defaults to `STRIPE`. */
  readonly name?: GatewayType;
  /**
   * Where Stripe sends the customer back after a redirect (3-D Secure, a bank, a wallet). When set,
   * it is passed as `return_url` on every PaymentIntent and redirect-based methods may be used; when
   * left out, PaymentIntents are created with `automatic_payment_methods[allow_redirects]=never`, and
   * 3-D Secure comes back as an `SDK` action for Stripe.js. Changing it changes the parameters of
   * requests already sent, so their replays fail with an idempotency conflict.
   */
  readonly returnUrl?: string;
  /**
   * How long after a request's `deadline` its status may still be resolved by replaying it, ms.
   * Stripe keeps an idempotency key for at least 24 hours; a replay after it has forgotten the key
   * would charge (or refund) again, so the margin must cover the request's own timeout and clock
   * skew. Defaults to 20 hours; at most 23 hours.
   */
  readonly replayWindowMs?: number;
  /** Time source for deadlines and the replay window. Defaults to the system clock. */
  readonly clock?: Clock;
}

/** Options with every default applied. */
export interface ResolvedStripeGatewayOptions {
  readonly name: GatewayType;
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
  readonly timeoutMs: number;
  readonly returnUrl: string | undefined;
  readonly replayWindowMs: number;
  readonly clock: Clock;
}

/** Defaults of {@link StripeGatewayOptions}. */
export const STRIPE_GATEWAY_DEFAULTS = Object.freeze({
  name: 'STRIPE',
  host: 'api.stripe.com',
  protocol: 'https',
  timeoutMs: 30_000,
  replayWindowMs: 20 * 3_600_000,
} as const);

const MAX_REPLAY_WINDOW_MS = 23 * 3_600_000;
const SECRET_KEY_SHAPE = /^(sk|rk)_[A-Za-z0-9_]+$/;

const checks = stripeOptionChecks('StripeGateway');

/** Checks `options` and applies the defaults. @throws InvalidStripeOptionError naming the bad option. */
export function resolveStripeGatewayOptions(options: StripeGatewayOptions): ResolvedStripeGatewayOptions {
  checks.object('options', options, undefined);
  checkSecretKey(options.secretKey);
  const api = typeof options.api === 'string' ? apiBaseOf(options.api) : checks.object('api', options.api, {});
  const protocol = checks.oneOf('api.protocol', api.protocol, STRIPE_GATEWAY_DEFAULTS.protocol, ['http', 'https']);
  const host = api.host ?? STRIPE_GATEWAY_DEFAULTS.host;
  if (typeof host !== 'string' || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) throw checks.invalid('api.host', 'must be a host name or address', host);
  const port = checks.integer('api.port', api.port, protocol === 'https' ? 443 : 80, { min: 1, max: 65_535 });
  const timeoutMs = checks.integer('timeoutMs', options.timeoutMs, STRIPE_GATEWAY_DEFAULTS.timeoutMs, { min: 1 });
  const replayWindowMs = checks.integer('replayWindowMs', options.replayWindowMs, STRIPE_GATEWAY_DEFAULTS.replayWindowMs, { min: 0 });
  if (replayWindowMs > MAX_REPLAY_WINDOW_MS) {
    throw checks.invalid('replayWindowMs', `must be at most ${MAX_REPLAY_WINDOW_MS} (23 hours, inside Stripe's 24-hour key window)`, replayWindowMs);
  }
  const name = checks.string('name', options.name, STRIPE_GATEWAY_DEFAULTS.name);
  if (options.returnUrl !== undefined) checkUrl('returnUrl', options.returnUrl);
  const clock = checks.port('clock', options.clock, () => new SystemClock(), ['now']);
  return { name, host, port, protocol, timeoutMs, returnUrl: options.returnUrl, replayWindowMs, clock };
}

/** @throws InvalidStripeOptionError when `secretKey` is not a Stripe secret or restricted key. */
export function checkSecretKey(secretKey: unknown): asserts secretKey is string {
  // Never echo the value: it may be a live key pasted in the wrong place.
  if (typeof secretKey !== 'string' || secretKey === '') throw checks.invalidSecret('secretKey', 'is required (a Stripe secret key, sk_… or rk_…)');
  if (!SECRET_KEY_SHAPE.test(secretKey)) {
    throw checks.invalidSecret('secretKey', 'must be a Stripe secret or restricted key (sk_… or rk_…); a publishable key (pk_…) cannot create charges');
  }
}

/** `http(s)://host[:port]` as host, port and protocol. */
function apiBaseOf(url: string): StripeApiBase {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw checks.invalid('api', 'must be a base URL such as https://api.stripe.com or http://127.0.0.1:12111', url);
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || (parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search !== '') {
    throw checks.invalid('api', 'must be a base URL such as https://api.stripe.com or http://127.0.0.1:12111, without a path', url);
  }
  const protocol = parsed.protocol === 'https:' ? 'https' : 'http';
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), protocol, ...(parsed.port === '' ? {} : { port: Number(parsed.port) }) };
}

function checkUrl(option: string, value: unknown): void {
  if (typeof value !== 'string') throw checks.invalid(option, 'must be an absolute http(s) URL', value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw checks.invalid(option, 'must be an absolute http(s) URL', value);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw checks.invalid(option, 'must be an absolute http(s) URL', value);
}
