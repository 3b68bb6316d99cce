import type { GatewayType } from '@aegispay/domain';

/** Figures that exist whether or not the gateway has outcomes in the window. */
interface GatewayMetricsBase {
  readonly gateway: GatewayType;
  /**
   * The routing engine's current estimate of the gateway's approval probability: outcomes
   * weighted by recency (see the collector's `estimator` options), reacting within a handful of
   * outcomes to an outage or a recovery. `null` before the gateway's first approval-relevant outcome.
   */
  readonly recentApprovalRate: number | null;
  /** Effective number of outcomes behind {@link recentApprovalRate} after recency weighting (0 = no evidence). */
  readonly recentEvidence: number;
  /** Clock time (epoch ms) of the last outcome recorded for the gateway, `null` if none ever was. */
  readonly lastUpdated: number | null;
}

/** Metrics of a gateway with at least one outcome in the window. */
export interface ObservedGatewayMetrics extends GatewayMetricsBase {
  readonly hasData: true;
  /** Outcomes in the window. */
  readonly volume: number;
  /** Outcomes in which the gateway answered (approved or declined). */
  readonly successCount: number;
  /** Technical failures and unknown outcomes. */
  readonly failureCount: number;
  /** Declines (hard and soft). */
  readonly declineCount: number;
  /** Hard declines (card problems), left out of {@link approvalRate}. */
  readonly hardDeclineCount: number;
  /** Approvals. */
  readonly approvedCount: number;
  /** Gateway health: share of outcomes in which the gateway answered, 0–1. */
  readonly successRate: number;
  /** Approvals divided by outcomes other than hard declines, 0–1; `null` when every outcome was a hard decline. */
  readonly approvalRate: number | null;
  /** Median latency in ms (all outcomes, failures included), within 1 % (see the README). */
  readonly p50Latency: number;
  /** 95th-percentile latency in ms, within 1 %. */
  readonly p95Latency: number;
  /** 99th-percentile latency in ms, within 1 %. */
  readonly p99Latency: number;
  /** Mean latency in ms (exact). */
  readonly averageLatency: number;
  /** Sum of the recorded costs, in minor units. */
  readonly totalCost: number;
  /** Mean cost of the outcomes that reported one, in minor units; `null` when none did. */
  readonly averageCost: number | null;
  /** Total cost divided by the total amount of the outcomes that reported a cost; `null` when none did. */
  readonly costRatio: number | null;
  /** Sum of the amounts, in minor units (currencies are not separated). */
  readonly totalAmount: number;
  /** Occurrences of each error or decline code in the window (at most 32 codes per bucket, the rest as `OTHER`). */
  readonly errorCounts: Readonly<Record<string, number>>;
  /** Clock time (epoch ms) from which outcomes are counted: the start of the oldest bucket in the window. */
  readonly windowStart: number;
}

/**
 * Metrics of a gateway with no outcome in the window (never used, or idle for longer than the
 * window): every window figure is `null` and `volume` is 0, so code that reads `successRate`
 * must decide what "no data" means instead of reading a made-up 0 or 1.
 */
export interface EmptyGatewayMetrics extends GatewayMetricsBase {
  readonly hasData: false;
  readonly volume: 0;
  readonly successCount: 0;
  readonly failureCount: 0;
  readonly declineCount: 0;
  readonly hardDeclineCount: 0;
  readonly approvedCount: 0;
  readonly successRate: null;
  readonly approvalRate: null;
  readonly p50Latency: null;
  readonly p95Latency: null;
  readonly p99Latency: null;
  readonly averageLatency: null;
  readonly totalCost: 0;
  readonly averageCost: null;
  readonly costRatio: null;
  readonly totalAmount: 0;
  readonly errorCounts: Readonly<Record<string, number>>;
  readonly windowStart: null;
}

/** What {@link GatewayMetricsCollector.getMetrics} returns: narrow on `hasData` before reading figures. */
export type GatewayMetrics = ObservedGatewayMetrics | EmptyGatewayMetrics;

/**
 * The inputs the routing engine reads for one gateway on every decision, cheap to obtain: the
 * recency-weighted approval evidence and cached window figures (latency percentiles are refreshed
 * when the window's buckets change or after enough new outcomes, not on every call).
 */
export interface RoutingSignals {
  readonly gateway: GatewayType;
  /** Recency-weighted approvals. */
  readonly approvals: number;
  /** Recency-weighted soft declines and failures. */
  readonly misses: number;
  /** Outcomes in the window. */
  readonly volume: number;
  /** 95th-percentile latency in ms from the window, `null` without data. */
  readonly p95Latency: number | null;
  /** Observed cost per unit of amount from the window, `null` when no outcome reported a cost. */
  readonly costRatio: number | null;
}
