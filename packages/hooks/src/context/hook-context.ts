import type { GatewayAttempt, GatewayType, Payment, PaymentSnapshot } from '@aegispay/domain';

/**
 * The payment a caller hands the executor: the domain aggregate or its snapshot. Hooks never see
 * the aggregate: the executor hands them `payment.toSnapshot()` (deep-frozen plain data).
 */
export type HookPayment = Payment | PaymentSnapshot;

/**
 * What a caller passes to the executor's `execute*` methods and `emitEvent`.
 *
 * `payment` may be a `Payment` or a `PaymentSnapshot`; either way each hook receives a
 * {@link HookInvocation}, in which `payment` is a deep-frozen `PaymentSnapshot`, so
 * `context.payment.id`, `.merchantId`, `.amount` (minor units), `.currency` and `.status` read the
 * same whichever the caller passed, and no hook can change them.
 */
export interface HookContext {
  /** The payment the hooks are about. */
  readonly payment: HookPayment;
  /** When the caller started this step (from its `Clock`). */
  readonly timestamp: Date;
  /** Correlates the hooks' work with the request that caused it. */
  readonly requestId: string;
  /**
   * Request-level data (`country`, `region`, an IP-derived country…). Hooks get a frozen copy;
   * enrichment hooks add to it through their return value only.
   */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** The context of a routing strategy: the gateways it may choose from. */
export interface RoutingContext extends HookContext {
  /** The gateways that can take this payment now (healthy, supporting its method); a decision must name one of them. */
  readonly availableGateways: readonly GatewayType[];
}

/** The context of an error handler: what went wrong and what was tried before. */
export interface ErrorContext extends HookContext {
  /** The error the orchestrator is deciding about. */
  readonly error: Error;
  /** 1 for the first attempt, then 2, 3, … */
  readonly attemptNumber: number;
  /** The gateway attempts made so far for this payment, oldest first. */
  readonly previousAttempts: readonly GatewayAttempt[];
}

/**
 * What one hook receives for one call: the caller's context with `payment` as a deep-frozen
 * `PaymentSnapshot`, frozen copies of `metadata` and of every plain object or array, a fresh
 * `timestamp`, and the `signal` that aborts when the hook's time is up (pass it to `fetch` or to
 * your client so the work stops too).
 */
export type HookInvocation<C extends HookContext = HookContext> = Omit<C, 'payment'> & {
  readonly payment: PaymentSnapshot;
  /** Aborts, with a `HookTimeoutError` as its reason, when the hook exceeds its timeout. */
  readonly signal: AbortSignal;
};
