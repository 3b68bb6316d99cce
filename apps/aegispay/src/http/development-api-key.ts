import { ConfigurationError, type AppConfig } from '../config/app-config';

/**
 * The API key `aegispay serve` accepts when `AEGISPAY_API_KEYS` is unset, so the README's curl
 * lines work on a fresh clone. It is public (printed in the README), so it is only ever used on a
 * loopback address and never with `NODE_ENV=production`; the server logs a warning when it is on.
 */
export const DEVELOPMENT_API_KEY = 'sk_dev_aegispay_local_only';

/** The merchant the development key belongs to. */
export const DEVELOPMENT_MERCHANT_ID = 'merchant_demo';

/** The API keys a server should accept, and whether they are the development default. */
export interface ResolvedApiKeys {
  readonly keys: ReadonlyMap<string, string>;
  readonly development: boolean;
}

/**
 * The configured API keys; when there are none, the development key — but only on a loopback
 * host and outside production, because an API nobody can call is a misconfiguration we should
 * name, and a public key on a reachable address would be a hole.
 *
 * @throws ConfigurationError when no key is configured and the development key may not be used.
 */
export function resolveApiKeys(config: Pick<AppConfig, 'apiKeys' | 'http'>, env: Readonly<Record<string, string | undefined>>): ResolvedApiKeys {
  if (config.apiKeys.size > 0) return { keys: config.apiKeys, development: false };
  if (env['NODE_ENV'] === 'production') {
    throw new ConfigurationError([
      'AEGISPAY_API_KEYS: no API key is configured and NODE_ENV is production; set AEGISPAY_API_KEYS="<key of 16+ characters>=<merchantId>,…"',
    ]);
  }
  if (!isLoopback(config.http.host)) {
    throw new ConfigurationError([
      `AEGISPAY_API_KEYS: no API key is configured and the server would listen on ${config.http.host}; the development key is only used on 127.0.0.1, ::1 or localhost. Set AEGISPAY_API_KEYS="<key>=<merchantId>".`,
    ]);
  }
  return { keys: new Map([[DEVELOPMENT_API_KEY, DEVELOPMENT_MERCHANT_ID]]), development: true };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
