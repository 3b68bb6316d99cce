import { isCurrencyCode, type GatewayType, type OptionChecks } from '@aegispay/domain';
import { routingOptionChecks } from '../errors/routing.errors';
import type { GatewayMetrics } from '../metrics/gateway-metrics';

/**
 * An amount in minor units: one number for every currency, or one per ISO 4217 currency
 * (payments in currencies not listed never match).
 */
export type AmountThreshold = number | Readonly<Record<string, number>>;

/** Options every built-in rule accepts. */
export interface BuiltInRuleOptions {
  /** Rule name, unique per engine; set it to register two rules of the same kind. */
  readonly name?: string;
  /** Priority (higher runs first). */
  readonly priority?: number;
}

/** The threshold that applies to `currency`, or undefined when none does. */
export function thresholdFor(threshold: AmountThreshold, currency: string): number | undefined {
  return typeof threshold === 'number' ? threshold : threshold[currency];
}

/** @internal The option checks of a built-in rule factory: `RoutingConfigurationError` with `ROUTING.INVALID_RULE`. */
export function ruleOptionChecks(owner: string): OptionChecks {
  return routingOptionChecks('ROUTING.INVALID_RULE', owner);
}

/** Checks an {@link AmountThreshold}; a map's keys must be ISO 4217 codes as payments carry them (`EUR`, not `eur`). */
export function checkThreshold(checks: OptionChecks, threshold: AmountThreshold, field: string): void {
  const values = typeof threshold === 'number' ? [threshold] : typeof threshold === 'object' && threshold !== null ? Object.values(threshold) : [Number.NaN];
  if (values.length === 0 || values.some((value) => typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
    throw checks.invalid(field, 'must be an amount in minor units ≥ 0, or a map of ISO 4217 currency code to such amounts', threshold);
  }
  if (typeof threshold === 'number') return;
  // A key no payment currency can equal would make the rule silently never apply.
  const unknown = Object.keys(threshold).find((currency) => !isCurrencyCode(currency));
  if (unknown !== undefined) {
    throw checks.invalid(`${field}.${unknown}`, 'is not an ISO 4217 currency code such as "EUR" (upper case)', unknown);
  }
}

/** The approval estimate of a gateway when it rests on at least `minEvidence` outcomes. */
export function trustedApproval(metrics: GatewayMetrics | undefined, minEvidence: number): number | undefined {
  if (metrics === undefined || metrics.recentApprovalRate === null || metrics.recentEvidence < minEvidence) return undefined;
  return metrics.recentApprovalRate;
}

/** The best trusted approval estimate among `gateways`, undefined when none is trusted. */
export function bestTrustedApproval(
  gateways: readonly GatewayType[],
  metrics: ReadonlyMap<GatewayType, GatewayMetrics>,
  minEvidence: number,
): number | undefined {
  let best: number | undefined;
  for (const gateway of gateways) {
    const approval = trustedApproval(metrics.get(gateway), minEvidence);
    if (approval !== undefined && (best === undefined || approval > best)) best = approval;
  }
  return best;
}

/**
 * Whether a gateway is healthy enough for a rule to prefer it: its approval estimate is known to
 * be no more than `maxGap` below the best one. A gateway without enough evidence is given the
 * benefit of the doubt.
 */
export function closeToBest(metrics: GatewayMetrics | undefined, best: number | undefined, maxGap: number, minEvidence: number): boolean {
  const approval = trustedApproval(metrics, minEvidence);
  return approval === undefined || best === undefined || approval >= best - maxGap;
}
