import { isCurrencyCode, type GatewayType, type Payment } from '@aegispay/domain';
import { RoutingConfigurationError } from '../errors/routing.errors';
import type { RoutingRule } from '../routing/routing-rule';
import { bestTrustedApproval, closeToBest, validateRange, type BuiltInRuleOptions } from './rule-helpers';

/** Options of {@link createCurrencyPreferenceRule} and {@link createCountryPreferenceRule}. */
export interface PreferenceRuleOptions extends BuiltInRuleOptions {
  /**
   * A preferred gateway is skipped when its approval estimate is more than this below the best
   * available one, so a preference never routes into an outage. Defaults to 0.05.
   */
  readonly maxApprovalGap?: number;
  /** Evidence needed for an approval estimate to be trusted. Defaults to 20. */
  readonly minEvidence?: number;
}

/** Preferred gateways, best first, per key (an ISO 4217 currency or an ISO 3166 country). */
export type GatewayPreferences = Readonly<Record<string, readonly GatewayType[]>>;

/**
 * Payments in a listed currency go to the first of its preferred gateways that is available and
 * healthy (local acquiring, settlement currency). Name `currency-preference`, priority 70.
 */
export function createCurrencyPreferenceRule(preferences: GatewayPreferences, options: PreferenceRuleOptions = {}): RoutingRule {
  return preferenceRule(preferences, options, 'currency-preference', 'currency', isCurrencyCode, 'an ISO 4217 currency code such as "EUR"', (payment) => payment.currency);
}

/**
 * Payments whose `metadata.country` is listed go to the first of its preferred gateways that is
 * available and healthy (domestic acquiring raises approval rates). Name `country-preference`,
 * priority 70.
 */
export function createCountryPreferenceRule(preferences: GatewayPreferences, options: PreferenceRuleOptions = {}): RoutingRule {
  return preferenceRule(preferences, options, 'country-preference', 'country', isCountryCode, 'an ISO 3166 alpha-2 country code such as "DE"', (payment) => {
    const country = payment.metadata['country'];
    return typeof country === 'string' ? country.toUpperCase() : undefined;
  });
}

function preferenceRule(
  preferences: GatewayPreferences,
  options: PreferenceRuleOptions,
  defaultName: string,
  dimension: string,
  isKey: (key: string) => boolean,
  keyShape: string,
  keyOf: (payment: Payment) => string | undefined,
): RoutingRule {
  if (typeof preferences !== 'object' || preferences === null || Object.keys(preferences).length === 0) {
    throw new RoutingConfigurationError('ROUTING.INVALID_RULE', 'preferences', `A ${dimension} preference rule needs at least one ${dimension} with its gateways.`);
  }
  const table = new Map<string, readonly GatewayType[]>();
  for (const [key, gateways] of Object.entries(preferences)) {
    if (!Array.isArray(gateways) || gateways.length === 0 || gateways.some((gateway) => typeof gateway !== 'string' || gateway.length === 0)) {
      throw new RoutingConfigurationError('ROUTING.INVALID_RULE', `preferences.${key}`, `preferences.${key} must be a non-empty list of gateway names.`);
    }
    const normalised = key.toUpperCase();
    // A key that no payment can carry would silently never apply; two spellings of one key would silently overwrite each other.
    if (!isKey(normalised)) {
      throw new RoutingConfigurationError('ROUTING.INVALID_RULE', `preferences.${key}`, `preferences keys must be ${keyShape}, got "${key}".`);
    }
    if (table.has(normalised)) {
      throw new RoutingConfigurationError('ROUTING.INVALID_RULE', `preferences.${key}`, `preferences lists ${normalised} twice (keys are case-insensitive).`);
    }
    table.set(normalised, [...gateways]);
  }
  const maxGap = options.maxApprovalGap ?? 0.05;
  validateRange(maxGap, 0, 1, 'maxApprovalGap');
  const minEvidence = options.minEvidence ?? 20;
  validateRange(minEvidence, 0, Number.MAX_SAFE_INTEGER, 'minEvidence');
  return {
    name: options.name ?? defaultName,
    priority: options.priority ?? 70,
    description: `the payment's ${dimension} has preferred gateways`,
    condition: (payment) => {
      const key = keyOf(payment);
      return key !== undefined && table.has(key);
    },
    selectGateway: (payment, availableGateways, metrics) => {
      const key = keyOf(payment);
      const preferred = key === undefined ? undefined : table.get(key);
      if (preferred === undefined) return undefined;
      const best = bestTrustedApproval(availableGateways, metrics, minEvidence);
      return preferred.find((gateway) => availableGateways.includes(gateway) && closeToBest(metrics.get(gateway), best, maxGap, minEvidence));
    },
  };
}

function isCountryCode(key: string): boolean {
  return /^[A-Z]{2}$/.test(key);
}
