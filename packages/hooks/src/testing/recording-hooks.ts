import type { PaymentEvent } from '@aegispay/domain';

import type { HookInvocation } from '../context/hook-context';
import type { EventListenerHook } from '../hooks/event-listener.hook';
import type { FraudCheckHook, FraudCheckResult } from '../hooks/fraud-check.hook';
import type { MetricSample, MetricsCollectorHook } from '../hooks/metrics-collector.hook';

/** An event listener that keeps what it receives, for assertions. */
export class RecordingEventListener implements EventListenerHook {
  readonly enabled = true;
  readonly received: { readonly event: PaymentEvent; readonly context: HookInvocation }[] = [];

  constructor(
    readonly name = 'RecordingEventListener',
    readonly eventTypes: readonly string[] = ['*'],
    readonly priority = 0,
  ) {}

  /** The types of the events received, in order. */
  get eventTypesReceived(): readonly string[] {
    return this.received.map(({ event }) => event.type);
  }

  execute(event: PaymentEvent, context: HookInvocation): void {
    this.received.push({ event, context });
  }
}

/** A metrics collector that keeps every sample it receives, for assertions. */
export class RecordingMetricsCollector implements MetricsCollectorHook {
  readonly enabled = true;
  readonly samples: MetricSample[] = [];

  constructor(
    readonly name = 'RecordingMetricsCollector',
    readonly priority = 0,
  ) {}

  execute(metrics: readonly MetricSample[]): void {
    this.samples.push(...metrics);
  }
}

/** A fraud check that always gives the same answer and counts its calls. */
export class StaticFraudCheck implements FraudCheckHook {
  readonly enabled = true;
  calls = 0;

  constructor(
    readonly name: string,
    private readonly result: FraudCheckResult,
    readonly priority = 50,
  ) {}

  execute(): FraudCheckResult {
    this.calls += 1;
    return this.result;
  }
}
