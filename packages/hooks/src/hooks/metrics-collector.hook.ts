import type { HookInvocation } from '../context/hook-context';
import type { Awaitable, HookBase } from './hook';

/** One measurement, in the StatsD/OpenTelemetry shape. */
export interface MetricSample {
  /** Dotted name, `payment.latency`. */
  readonly name: string;
  readonly value: number;
  /** `ms`, `minor_units`, `count`… */
  readonly unit?: string;
  /** Low-cardinality dimensions: `gateway`, `outcome`, `currency`. Never identifiers. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Forwards the orchestrator's measurements to a metrics system. */
export interface MetricsCollectorHook extends HookBase {
  execute(metrics: readonly MetricSample[], context: HookInvocation): Awaitable<void>;
}
