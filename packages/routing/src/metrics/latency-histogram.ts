import { Int32Histogram } from 'hdr-histogram-js';

/**
 * Latencies are recorded in units of 10 µs, so HdrHistogram's guarantee (two significant digits:
 * every value is reported within 1/128 of itself above 256 units) means: within 0.01 ms below
 * 2.56 ms and within 0.79 % above, i.e. a relative error of at most 1 % for every latency ≥ 1 ms.
 */
export const LATENCY_UNITS_PER_MS = 100;

/** Latencies above 10 minutes are recorded as 10 minutes, in the percentiles and the average alike (no gateway call should last that long). */
export const MAX_TRACKED_LATENCY_MS = 600_000;

const HIGHEST_TRACKABLE_UNITS = MAX_TRACKED_LATENCY_MS * LATENCY_UNITS_PER_MS;
const SIGNIFICANT_DIGITS = 2;

/** A latency histogram with the layout every histogram of the collector shares. */
export function createLatencyHistogram(): Int32Histogram {
  return new Int32Histogram(1, HIGHEST_TRACKABLE_UNITS, SIGNIFICANT_DIGITS);
}

/** Milliseconds to histogram units, rounded and clamped to the tracked range. */
export function latencyToUnits(latencyMs: number): number {
  const units = Math.round(latencyMs * LATENCY_UNITS_PER_MS);
  return units > HIGHEST_TRACKABLE_UNITS ? HIGHEST_TRACKABLE_UNITS : units;
}

/** The three latency percentiles the metrics report, in milliseconds. */
export interface LatencyPercentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

const PERCENTILES = [50, 95, 99] as const;

/**
 * p50, p95 and p99 of the union of two histograms of the same layout, in one pass over their
 * counts and without merging them into a third. Follows `getValueAtPercentile` exactly: the
 * answer is the highest value equivalent to the bucket where the cumulative count first reaches
 * `ceil(p% × total)` (at least 1). Returns `null` when both are empty.
 */
export function percentilesOf(closed: Int32Histogram, current: Int32Histogram | undefined): LatencyPercentiles | null {
  const total = closed.totalCount + (current === undefined ? 0 : current.totalCount);
  if (total <= 0) return null;
  const targets = [0, 0, 0];
  for (let k = 0; k < PERCENTILES.length; k++) {
    const fp = ((PERCENTILES[k] as number) / 100) * total;
    targets[k] = Math.max(Math.ceil(fp - fp * Number.EPSILON), 1);
  }
  const values = [0, 0, 0];
  let found = 0;
  let cumulative = 0;
  const length = closed.countsArrayLength;
  for (let index = 0; index < length && found < 3; index++) {
    cumulative += closed.getCountAtIndex(index);
    if (current !== undefined) cumulative += current.getCountAtIndex(index);
    while (found < 3 && cumulative >= (targets[found] as number)) {
      values[found] = closed.highestEquivalentValue(closed.valueFromIndex(index)) / LATENCY_UNITS_PER_MS;
      found += 1;
    }
  }
  return { p50: values[0] as number, p95: values[1] as number, p99: values[2] as number };
}
