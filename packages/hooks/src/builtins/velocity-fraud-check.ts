import { SystemClock, type Clock, type VelocityCounterStore } from '@aegispay/domain';

import type { HookInvocation } from '../context/hook-context';
import type { FraudCheckHook, FraudCheckResult } from '../hooks/fraud-check.hook';
import { hookOptionChecks } from '../errors/hook.errors';
import type { BuiltInCheckOptions } from './built-in-check.options';
import { InMemoryVelocityCounterStore } from './in-memory-velocity-counter.store';

/** Options of {@link VelocityFraudCheck}. */
export interface VelocityFraudCheckOptions extends BuiltInCheckOptions {
  /** Where the counts live. Defaults to a new {@link InMemoryVelocityCounterStore} (one process). */
  readonly store?: VelocityCounterStore;
  /** The time the window slides on. Defaults to the system clock. */
  readonly clock?: Clock;
  /**
   * What is counted: the key a payment counts under, or undefined to leave it uncounted (and
   * allowed). Defaults to the merchant: `merchant:<merchantId>`. Use the customer or the
   * payment method's token for card-testing limits.
   */
  readonly key?: (context: HookInvocation) => string | undefined;
  /** Score of a refusal, 0–1. Defaults to 0.9. */
  readonly riskScore?: number;
}

const OWNER = 'VelocityFraudCheck';
const checks = hookOptionChecks(OWNER);

/**
 * Refuses a payment when its key (the merchant, by default) has had more than `limit` payments
 * in the last `windowMs` milliseconds, this one included: with `limit` 10, ten payments in the
 * window pass and the eleventh is refused.
 *
 * Every payment checked counts, refused ones too, so a burst cannot retry its way through; a
 * payment checked twice (same `payment.id`) counts once. Time comes from the `clock`.
 */
export class VelocityFraudCheck implements FraudCheckHook {
  readonly name: string;
  readonly priority: number;
  readonly enabled = true;
  private readonly store: VelocityCounterStore;
  private readonly clock: Clock;
  private readonly keyOf: (context: HookInvocation) => string | undefined;
  private readonly riskScore: number;

  /**
   * @param limit payments allowed per window (a positive integer).
   * @param windowMs the sliding window, in ms (positive).
   * @throws InvalidOptionError `HOOK.INVALID_OPTION` for a bad limit or window.
   */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    options: VelocityFraudCheckOptions = {},
  ) {
    checks.integer('limit', limit, undefined, { min: 1 });
    checks.number('windowMs', windowMs, undefined, { above: 0 });
    this.name = options.name ?? OWNER;
    this.priority = options.priority ?? 80;
    this.store = options.store ?? new InMemoryVelocityCounterStore();
    this.clock = options.clock ?? new SystemClock();
    this.keyOf = options.key ?? ((context) => `merchant:${context.payment.merchantId}`);
    this.riskScore = checks.rate('riskScore', options.riskScore, 0.9);
  }

  async execute(context: HookInvocation): Promise<FraudCheckResult> {
    const key = this.keyOf(context);
    if (key === undefined) return { allowed: true, riskScore: 0 };
    const count = await this.store.record(key, context.payment.id, this.clock.now(), this.windowMs, context.signal);
    if (count <= this.limit) return { allowed: true, riskScore: 0, metadata: { key, count, limit: this.limit } };
    return {
      allowed: false,
      riskScore: this.riskScore,
      reason: `Too many payments: ${count} in the last ${formatWindow(this.windowMs)} (limit ${this.limit})`,
      metadata: { key, count, limit: this.limit, windowMs: this.windowMs },
    };
  }
}

function formatWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  if (ms % 1_000 === 0) return ms === 1_000 ? 'second' : `${ms / 1_000} seconds`;
  return `${ms} ms`;
}
