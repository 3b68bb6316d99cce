import { isCurrencyCode, type GatewayType, type Payment } from '@aegispay/domain';
import type { RoutingRule } from '../routing/routing-rule';
import { bestTrustedApproval, closeToBest, ruleOptionChecks, type BuiltInRuleOptions } from './rule-helpers';

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
  const kind = { owner: 'createCurrencyPreferenceRule', name: 'currency-preference', dimension: 'currency', isKey: isCurrencyCode, keyShape: 'an ISO 4217 currency code such as "EUR"' };
  return preferenceRule(preferences, options, kind, (payment) => payment.currency);
}

/**
 * Payments whose `metadata.country` is listed go to the first of its preferred gateways that is
 * available and healthy (domestic acquiring raises approval rates). Name `country-preference`,
 * priority 70.
 */
export function createCountryPreferenceRule(preferences: GatewayPreferences, options: PreferenceRuleOptions = {}): RoutingRule {
  const kind = { owner: 'createCountryPreferenceRule', name: 'country-preference', dimension: 'country', isKey: isCountryCode, keyShape: 'an ISO 3166 alpha-2 country code such as "DE"' };
  return preferenceRule(preferences, options, kind, (payment) => {
    const country = payment.metadata['country'];
    return typeof country === 'string' ? country.toUpperCase() : undefined;
  });
}

/** What tells the currency and the country preference rules apart. */
interface PreferenceKind {
  /** The factory, named in errors. */
  readonly owner: string;
  /** The rule's default name. */
  readonly name: string;
  /** What the keys are (`currency`). */
  readonly dimension: string;
  readonly isKey: (key: string) => boolean;
  /** What a key must be, for errors. */
  readonly keyShape: string;
}

function preferenceRule(
  preferences: GatewayPreferences,
  options: PreferenceRuleOptions,
  { owner, name, dimension, isKey, keyShape }: PreferenceKind,
  keyOf: (payment: Payment) => string | undefined,
): RoutingRule {
  const checks = ruleOptionChecks(owner);
  if (typeof preferences !== 'object' || preferences === null || Array.isArray(preferences) || Object.keys(preferences).length === 0) {
    throw checks.invalid('preferences', `must map at least one ${dimension} to its gateways`, preferences);
  }
  const table = new Map<string, readonly GatewayType[]>();
  for (const [key, gateways] of Object.entries(preferences)) {
    if (!Array.isArray(gateways) || gateways.length === 0 || gateways.some((gateway) => typeof gateway !== 'string' || gateway.length === 0)) {
      throw checks.invalid(`preferences.${key}`, 'must be a non-empty list of gateway names', gateways);
    }
    const normalised = key.toUpperCase();
    // A key that no payment can carry would silently never apply; two spellings of one key would silently overwrite each other.
    if (!isKey(normalised)) throw checks.invalid(`preferences.${key}`, `is keyed by something other than ${keyShape}`, key);
    if (table.has(normalised)) throw checks.invalid(`preferences.${key}`, `lists ${normalised} twice (keys are case-insensitive)`, key);
    table.set(normalised, [...gateways]);
  }
  const maxGap = checks.rate('maxApprovalGap', options.maxApprovalGap, 0.05);
  const minEvidence = checks.number('minEvidence', options.minEvidence, 20, { min: 0 });
  return {
    name: options.name ?? name,
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
