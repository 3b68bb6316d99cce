import type { GatewayType } from '@aegispay/domain';
import type { GatewayMetricsCollector } from '../metrics/gateway-metrics-collector';

/** What {@link primeGatewayMetrics} records. */
export interface PrimedOutcomes {
  /** Approvals to record. Defaults to 0. */
  readonly approved?: number;
  /** Soft declines to record. Defaults to 0. */
  readonly declined?: number;
  /** Technical failures to record. Defaults to 0. */
  readonly failed?: number;
  /** Latency of every outcome, in ms. Defaults to 200. */
  readonly latency?: number;
  /** Amount of every outcome, in minor units. Defaults to 10 000. */
  readonly amount?: number;
  /** Cost of every outcome, in minor units. Defaults to none. */
  readonly cost?: number;
}

/**
 * Records a batch of outcomes for `gateway`, interleaved (approvals, declines and failures
 * spread evenly, not in blocks) so the collector's change detection sees a steady rate. For
 * tests of code that routes with a collector: prime it, then decide.
 */
export function primeGatewayMetrics(collector: GatewayMetricsCollector, gateway: GatewayType, outcomes: PrimedOutcomes): void {
  const approved = outcomes.approved ?? 0;
  const declined = outcomes.declined ?? 0;
  const failed = outcomes.failed ?? 0;
  const total = approved + declined + failed;
  const base = {
    latency: outcomes.latency ?? 200,
    amount: outcomes.amount ?? 10_000,
    ...(outcomes.cost === undefined ? {} : { cost: outcomes.cost }),
  };
  let recordedDeclines = 0;
  let recordedFailures = 0;
  for (let i = 1; i <= total; i++) {
    // Bresenham-style spreading: outcome i is a decline when the declines "due" by i exceed those recorded.
    if (Math.floor((i * declined) / total) > recordedDeclines) {
      recordedDeclines += 1;
      collector.recordPayment(gateway, { ...base, success: true, declined: true, errorCode: 'do_not_honor' });
    } else if (Math.floor((i * failed) / total) > recordedFailures) {
      recordedFailures += 1;
      collector.recordPayment(gateway, { ...base, success: false, errorCode: 'gateway_unavailable' });
    } else {
      collector.recordPayment(gateway, { ...base, success: true });
    }
  }
}
