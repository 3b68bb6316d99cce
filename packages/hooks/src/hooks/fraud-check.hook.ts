import type { HookInvocation } from '../context/hook-context';
import type { Awaitable, HookBase } from './hook';

/** What a fraud check answers. */
export interface FraudCheckResult {
  /** False refuses the payment. */
  readonly allowed: boolean;
  /**
   * 0 (no risk) to 1 (certain fraud). Defaults to 0 when allowed and to 1 when refused. The
   * executor refuses a payment whose highest score reaches its `riskThreshold`, even when every
   * check allowed it.
   */
  readonly riskScore?: number;
  /** Why, for the payment's caller; expected when `allowed` is false. */
  readonly reason?: string;
  /** Evidence for audit logs (limits, counts); passed through to the outcome. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Screens a payment for fraud. See `HookExecutor.executeFraudChecks` for how results combine. */
export interface FraudCheckHook extends HookBase {
  execute(context: HookInvocation): Awaitable<FraudCheckResult>;
}
