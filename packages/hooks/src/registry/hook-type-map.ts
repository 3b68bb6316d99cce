import type { ErrorHandlerHook } from '../hooks/error-handler.hook';
import type { EventListenerHook } from '../hooks/event-listener.hook';
import type { FraudCheckHook } from '../hooks/fraud-check.hook';
import type { FailurePolicy, HookType } from '../hooks/hook';
import type { MetricsCollectorHook } from '../hooks/metrics-collector.hook';
import type { PaymentEnrichmentHook } from '../hooks/enrichment.hook';
import type { RoutingStrategyHook } from '../hooks/routing-strategy.hook';
import type { PostPaymentValidationHook, PrePaymentValidationHook } from '../hooks/validation.hook';

/** The hook interface of each type. */
export interface HookTypeMap {
  PRE_VALIDATION: PrePaymentValidationHook;
  POST_VALIDATION: PostPaymentValidationHook;
  FRAUD_CHECK: FraudCheckHook;
  ROUTING_STRATEGY: RoutingStrategyHook;
  ENRICHMENT: PaymentEnrichmentHook;
  EVENT_LISTENER: EventListenerHook;
  METRICS_COLLECTOR: MetricsCollectorHook;
  ERROR_HANDLER: ErrorHandlerHook;
}

/** A hook of any type. */
export type AnyHook = HookTypeMap[HookType];

/** Per-registration overrides; they win over the same fields on the hook object. */
export interface HookRegistrationOptions {
  /** Time the hook may take, in ms (a positive number). Defaults to the hook's `timeoutMs`, then the executor's `defaultTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Defaults to the hook's `failurePolicy`, then to `DEFAULT_FAILURE_POLICIES[type]`. */
  readonly failurePolicy?: FailurePolicy;
}

/** A registered hook as the executor runs it: the fields read at registration, and the hook. */
export interface HookRegistration<T extends HookType = HookType> {
  readonly name: string;
  readonly type: T;
  readonly priority: number;
  /** Undefined: the executor's default applies. */
  readonly timeoutMs: number | undefined;
  /** Undefined: the type's default applies. */
  readonly failurePolicy: FailurePolicy | undefined;
  /** Registration order, the tie-breaker between equal priorities. */
  readonly sequence: number;
  /** The event types an event listener receives (`'*'` for all); undefined for other types. */
  readonly eventTypes: readonly string[] | undefined;
  readonly hook: HookTypeMap[T];
}

/** A registered hook as `registry.list()` describes it (JSON-safe, no hook object). */
export interface HookDescriptor {
  readonly name: string;
  readonly type: HookType;
  readonly priority: number;
  readonly enabled: boolean;
  /** Null: the executor's default applies. */
  readonly timeoutMs: number | null;
  /** Null: the type's default applies. */
  readonly failurePolicy: FailurePolicy | null;
  /** Only for event listeners. */
  readonly eventTypes?: readonly string[];
}
