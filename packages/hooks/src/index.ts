// Hook types and the fields every hook has
export {
  DEFAULT_FAILURE_POLICIES,
  HOOK_TYPES,
  type Awaitable,
  type FailureKind,
  type FailurePolicy,
  type HookBase,
  type HookType,
} from './hooks/hook';
export type { PostPaymentValidationHook, PrePaymentValidationHook, ValidationResult } from './hooks/validation.hook';
export type { FraudCheckHook, FraudCheckResult } from './hooks/fraud-check.hook';
export type { RoutingDecision, RoutingStrategyHook } from './hooks/routing-strategy.hook';
export type { EnrichmentResult, PaymentEnrichmentHook } from './hooks/enrichment.hook';
export { ALL_EVENTS, type EventListenerHook } from './hooks/event-listener.hook';
export type { MetricSample, MetricsCollectorHook } from './hooks/metrics-collector.hook';
export type { ErrorHandlerHook, ErrorHandlingResult } from './hooks/error-handler.hook';

// Contexts
export type { ErrorContext, HookContext, HookInvocation, HookPayment, RoutingContext } from './context/hook-context';

// Registry
export { HookRegistry } from './registry/hook-registry';
export type {
  AnyHook,
  HookDescriptor,
  HookRegistration,
  HookRegistrationOptions,
  HookTypeMap,
} from './registry/hook-type-map';

// Executor
export { HOOK_EXECUTOR_DEFAULTS, HookExecutor, type HookExecutorOptions } from './executor/hook-executor';
export { combineFraudResults, type FraudVerdict } from './executor/fraud-combination';
export type {
  ConsideredRoutingDecision,
  EnrichmentOutcome,
  ErrorHandlingOutcome,
  EventDispatchOutcome,
  FraudCheckOutcome,
  FraudCheckRecord,
  HookFailure,
  HookMessage,
  IgnoredEnrichment,
  MetricsOutcome,
  RoutingOutcome,
  RoutingRejection,
  SelectedRoutingDecision,
  ValidationOutcome,
} from './executor/hook-outcomes';

// Built-in fraud checks
export type { BuiltInCheckOptions } from './builtins/built-in-check.options';
export { HighValueFraudCheck, type HighValueFraudCheckOptions } from './builtins/high-value-fraud-check';
export { GeographicFraudCheck, type GeographicFraudCheckOptions } from './builtins/geographic-fraud-check';
export { VelocityFraudCheck, type VelocityFraudCheckOptions } from './builtins/velocity-fraud-check';
export {
  InMemoryVelocityCounterStore,
  type InMemoryVelocityCounterStoreOptions,
} from './builtins/in-memory-velocity-counter.store';

// Errors
export {
  DuplicateHookError,
  HookConfigurationError,
  HookFailedError,
  HookNotFoundError,
  HookTimeoutError,
} from './errors/hook.errors';
