// Chaos gateway
export { ChaosGateway, type ChaosGatewayDependencies, type ChaosInjectionEvent } from './chaos.gateway';
export { resolveChaosConfig, type ChaosConfig, type ResolvedChaosConfig, type ResourcePoolConfig } from './chaos-config';
export {
  CHAOS_ERROR_TYPES,
  CHAOS_HTTP_STATUS,
  ChaosErrorType,
  DEFAULT_CHAOS_ERROR_TYPES,
  isChaosErrorType,
  type ChaosInjectionKind,
  type ChaosOperation,
  type TimeoutPhase,
} from './chaos-error-type';
export { ChaosInjectedError, ChaosTimeoutError, type ChaosInjectedErrorInit } from './chaos.errors';
export { ChaosScope, type ChaosScopeOptions, type ChaosScopeStats } from './chaos-scope';
export type { ResourcePoolStats } from './resource-pool';
export {
  statsDelta,
  sumStats,
  type ChaosInjectionCounts,
  type ChaosStats,
  type ChaosStatsSource,
  type ChaosTimeoutCounts,
  type ChaosTotals,
} from './chaos-stats';

// Experiments
export { ChaosOrchestrator, type ChaosOrchestratorOptions } from './chaos.orchestrator';
export type {
  ChaosExperiment,
  ChaosExperimentResult,
  ExperimentAbortCondition,
  ExperimentCallContext,
  ExperimentConfiguration,
  ExperimentCriteria,
  ThresholdVerdict,
} from './chaos-experiment';
export type { CircuitBreakerEventSource, CircuitBreakerOpenEvent } from './circuit-breaker-events';
export { summarizeLatencies, type LatencySummary } from './latency-summary';
export { formatReport } from './experiment-report';
