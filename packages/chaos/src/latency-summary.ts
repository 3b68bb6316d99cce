/** Latency statistics of an experiment, ms. */
export interface LatencySummary {
  readonly average: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Exact statistics of a bounded set of samples: sorted once, percentiles by nearest rank (the
 * smallest sample with at least p·n samples at or below it). All zero without samples.
 */
export function summarizeLatencies(samples: readonly number[]): LatencySummary {
  const n = samples.length;
  if (n === 0) return { average: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const sample of sorted) sum += sample;
  const rank = (p: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] as number;
  return { average: sum / n, p50: rank(0.5), p95: rank(0.95), p99: rank(0.99), max: sorted[n - 1] as number };
}
