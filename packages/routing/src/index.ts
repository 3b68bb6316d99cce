// Metrics
export { GatewayMetricsCollector, DEFAULT_METRICS_COLLECTOR_OPTIONS, type GatewayMetricsCollectorOptions } from './metrics/gateway-metrics-collector';
export type { EmptyGatewayMetrics, GatewayMetrics, ObservedGatewayMetrics, RoutingSignals } from './metrics/gateway-metrics';
export { outcomeFromChargeResult, type DecidedChargeResult, type GatewayAttemptOutcome, type OutcomeMeasurements } from './metrics/gateway-attempt-outcome';
export { DEFAULT_APPROVAL_ESTIMATOR_OPTIONS, type ApprovalEstimatorOptions } from './metrics/approval-evidence';
export { LATENCY_UNITS_PER_MS, MAX_TRACKED_LATENCY_MS } from './metrics/latency-histogram';

// Routing engine
export { IntelligentRoutingEngine } from './routing/intelligent-routing-engine';
export {
  DEFAULT_LATENCY_BUDGET_MS,
  DEFAULT_ROUTING_WEIGHTS,
  type IntelligentRoutingEngineOptions,
  type RoutingWeights,
} from './routing/intelligent-routing-engine.options';
export type { RoutingRuleContext, RoutingRequestContext, RoutingRule } from './routing/routing-rule';
export type { FactorScore, GatewayScore, GatewaySelection, RoutingStrategy } from './routing/gateway-selection';
export { estimateFee, type GatewayCostModel, type GatewayFeeSchedule } from './routing/cost-model';

// Built-in rules
export { createHighValueRule, type HighValueRuleOptions } from './rules/high-value.rule';
export { createLowLatencyRule, type LowLatencyRuleOptions } from './rules/low-latency.rule';
export { createCostOptimizedRule, type CostOptimizedRuleOptions } from './rules/cost-optimized.rule';
export {
  createCountryPreferenceRule,
  createCurrencyPreferenceRule,
  type GatewayPreferences,
  type PreferenceRuleOptions,
} from './rules/preference.rule';
export type { AmountThreshold, BuiltInRuleOptions } from './rules/rule-helpers';

// Errors
export {
  InvalidGatewayArgumentError,
  InvalidPaymentOutcomeError,
  NoGatewayAvailableError,
  RoutingConfigurationError,
  RoutingRuleError,
} from './errors/routing.errors';
