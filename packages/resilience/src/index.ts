// Circuit breaker
export { EnhancedCircuitBreaker } from './breaker/enhanced-circuit-breaker';
export {
  CircuitBreakerManager,
  type CircuitBreakerManagerOptions,
  type CircuitBreakerManagerSnapshot,
} from './breaker/circuit-breaker-manager';
export type { CircuitBreakerOptions } from './breaker/circuit-breaker-options';
export { CIRCUIT_STATES, type CircuitState } from './breaker/circuit-state';
export { STATE_HEALTH, computeHealthScore, type CircuitBreakerHealth, type HealthScoreInputs } from './breaker/circuit-breaker-health';
export type {
  CallFailureEvent,
  CallRejectedEvent,
  CallSuccessEvent,
  CircuitBreakerEventBase,
  CircuitBreakerEventSource,
  RejectReason,
  StateChangeEvent,
  StateChangeReason,
} from './breaker/circuit-breaker-events';
export type { CircuitBreakerSnapshot } from './breaker/circuit-breaker-snapshot';
export type { SlidingWindowSnapshot, SlidingWindowType } from './breaker/sliding-window';
export { CircuitBreakerOpenError, InvalidSnapshotError } from './breaker/circuit-breaker.errors';
export { defaultIsFailure, defaultIsFailureResult, isChargeResult } from './breaker/failure-classification';

// Retry
export {
  RetryPolicy,
  retry,
  type JitterStrategy,
  type RetryContext,
  type RetryEvent,
  type RetryOptions,
} from './retry/retry-policy';
export type { BackoffOptions } from './retry/backoff-options';
export { RetryExhaustedError } from './retry/retry.errors';
export { isAbortError } from './retry/abort';

// Timeout
export { TimeoutPolicy, timeout, type TimeoutOptions, type TimeoutStrategy } from './timeout/timeout-policy';
export { OperationTimeoutError } from './timeout/timeout.errors';

// Bulkhead
export { BulkheadPolicy, bulkhead, type BulkheadOptions } from './bulkhead/bulkhead-policy';
export { BulkheadRejectedError } from './bulkhead/bulkhead.errors';
export { FifoMutex } from './bulkhead/fifo-mutex';

// Composition
export type { PolicyContext, ResiliencePolicy } from './policy/resilience-policy';
export { WrappedPolicy, wrap, type CompositeResultBound, type PolicyResultBound } from './policy/wrap';
