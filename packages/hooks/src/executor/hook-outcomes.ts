import type { GatewayType, MetadataValue } from '@aegispay/domain';

import type { FailureKind, FailurePolicy, HookType } from '../hooks/hook';

/**
 * A hook that threw, timed out or returned something malformed. Safe to show to a payment's
 * caller: it names the hook and a reason, never the hook's own error (that goes to the
 * executor's `onHookFailure` reporter only).
 */
export interface HookFailure {
  readonly hook: string;
  readonly hookType: HookType;
  readonly kind: FailureKind;
  /** `timed out after 5000 ms`, `threw an error`, `returned an invalid result: …`. */
  readonly reason: string;
  /** The policy that was applied. */
  readonly policy: FailurePolicy;
  /** Time the hook had taken when it was given up on, by the executor's clock. */
  readonly durationMs: number;
}

/** A message attributed to the hook that produced it. */
export interface HookMessage {
  readonly hook: string;
  readonly message: string;
}

/** What `executePreValidation` and `executePostValidation` return. */
export interface ValidationOutcome {
  /** True when no hook reported an error and no fail-closed hook failed. */
  readonly valid: boolean;
  /** Every hook's errors, in run order; a fail-closed failure adds one naming the hook. */
  readonly errors: readonly HookMessage[];
  readonly warnings: readonly HookMessage[];
  readonly failures: readonly HookFailure[];
}

/** One fraud check's answer as the executor recorded it. */
export interface FraudCheckRecord {
  readonly hook: string;
  readonly allowed: boolean;
  /** The check's score, or its default (0 allowed, 1 refused). */
  readonly riskScore: number;
  readonly reason?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** True when the check failed and its fail-closed policy turned that into a refusal. */
  readonly failed: boolean;
}

/** What `executeFraudChecks` returns. */
export interface FraudCheckOutcome {
  readonly allowed: boolean;
  /** The highest score of the checks that answered (0 when none did). */
  readonly riskScore: number;
  /** Why the payment was refused; absent when allowed. */
  readonly reason?: string;
  /** The check that refused it (the first refusal, or the highest score over the threshold); null when allowed. */
  readonly deniedBy: string | null;
  /** Each check that answered (and each fail-closed failure), in run order. */
  readonly results: readonly FraudCheckRecord[];
  readonly failures: readonly HookFailure[];
}

/** Why a routing decision was not taken. */
export type RoutingRejection = 'GATEWAY_UNAVAILABLE' | 'BELOW_CONFIDENCE_THRESHOLD';

/** A routing strategy's decision as the executor weighed it. */
export interface ConsideredRoutingDecision {
  readonly strategy: string;
  readonly gatewayType: GatewayType;
  readonly confidence: number;
  readonly reason: string;
  /** Null for the decision that was taken. */
  readonly rejection: RoutingRejection | null;
}

/** The decision that was taken, and the strategy that made it. */
export interface SelectedRoutingDecision {
  readonly strategy: string;
  readonly gatewayType: GatewayType;
  readonly confidence: number;
  readonly reason: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** What `executeRoutingStrategies` returns. */
export interface RoutingOutcome {
  /** The first decision for an available gateway at or above the confidence threshold; null when none. */
  readonly decision: SelectedRoutingDecision | null;
  /** Every decision returned, in run order, with why it was or was not taken. Abstentions are not listed. */
  readonly considered: readonly ConsideredRoutingDecision[];
  readonly failures: readonly HookFailure[];
}

/** A metadata key an enrichment hook could not set. */
export interface IgnoredEnrichment {
  readonly hook: string;
  readonly key: string;
  /** Who set the key first: `payment` (its metadata), `caller` (the context's metadata) or a higher-priority enrichment hook's name. */
  readonly keptFrom: string;
}

/** What `executeEnrichment` returns. */
export interface EnrichmentOutcome {
  /** The context's metadata plus every key the enrichments added (frozen): the metadata for the later steps. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Only the keys the enrichments added (frozen): what to store with `payment.enrichMetadata(added)`. */
  readonly added: Readonly<Record<string, MetadataValue>>;
  /** Which hook set each added key. */
  readonly addedBy: Readonly<Record<string, string>>;
  readonly ignored: readonly IgnoredEnrichment[];
  readonly failures: readonly HookFailure[];
}

/** What `emitEvent` returns. */
export interface EventDispatchOutcome {
  readonly eventType: string;
  /** The listeners that received the event and finished, in run order. */
  readonly delivered: readonly string[];
  readonly failures: readonly HookFailure[];
}

/** What `executeMetricsCollectors` returns. */
export interface MetricsOutcome {
  /** The collectors that received the samples and finished, in run order. */
  readonly delivered: readonly string[];
  readonly failures: readonly HookFailure[];
}

/** What `executeErrorHandlers` returns: the first opinion, or "do not retry" when no handler had one. */
export interface ErrorHandlingOutcome {
  readonly shouldRetry: boolean;
  readonly retryAfterMs?: number;
  readonly reason?: string;
  /** The handler whose opinion this is; null when none had one. */
  readonly handledBy: string | null;
  readonly failures: readonly HookFailure[];
}
