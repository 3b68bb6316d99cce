import type { Clock } from '@aegispay/domain';
import type { HookFailure } from './hook-outcomes';

/** Options of `HookExecutor`. */
export interface HookExecutorOptions {
  /** Times the hooks. Defaults to the system clock; tests pass a `FakeClock`. */
  readonly clock?: Clock;
  /** Time a hook may take when neither it nor its registration says, in ms. Defaults to 5 000 ms. */
  readonly defaultTimeoutMs?: number;
  /**
   * A payment whose highest fraud risk score reaches this value is refused even when every check
   * allowed it. From 0 (exclusive) to 1. Defaults to 0.8.
   */
  readonly riskThreshold?: number;
  /**
   * Stop running fraud checks after the first refusal (later checks cannot change the verdict,
   * and they may be paid calls). Defaults to true; false runs every check for the record.
   */
  readonly stopOnFirstDeny?: boolean;
  /** A routing decision below this confidence is not taken. From 0 to 1. Defaults to 0.7. */
  readonly minRoutingConfidence?: number;
  /**
   * Called for every hook failure, with the hook's own error (undefined for an invalid result).
   * A hook that timed out and rejected afterwards is reported a second time, with that late error
   * and a reason saying so (`timed out after 50 ms, then rejected (threw an error)`).
   * The operator's channel: log it. What it throws is ignored, so reporting cannot break a payment.
   * Defaults to none (failures are still listed in each outcome).
   */
  readonly onHookFailure?: (failure: HookFailure, error: unknown) => void;
}

/** The defaults of {@link HookExecutorOptions}. */
export const HOOK_EXECUTOR_DEFAULTS = Object.freeze({
  defaultTimeoutMs: 5_000,
  riskThreshold: 0.8,
  stopOnFirstDeny: true,
  minRoutingConfidence: 0.7,
});
