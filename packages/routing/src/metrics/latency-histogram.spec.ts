import fc from 'fast-check';
import { createLatencyHistogram, latencyToUnits, percentilesOf, LATENCY_UNITS_PER_MS, MAX_TRACKED_LATENCY_MS } from './latency-histogram';

describe('percentilesOf', () => {
  describe('when both histograms are empty', () => {
    it('should return null', () => {
      expect(percentilesOf(createLatencyHistogram(), createLatencyHistogram())).toBeNull();
    });
  });

  describe('when values are split across the two histograms', () => {
    it('should equal HdrHistogram getValueAtPercentile on their union', () => {
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: 0, max: 20_000, noNaN: true }), { minLength: 1, maxLength: 200 }),
          fc.array(fc.double({ min: 0, max: 20_000, noNaN: true }), { maxLength: 200 }),
          (closedValues, currentValues) => {
            const closed = createLatencyHistogram();
            const current = createLatencyHistogram();
            const union = createLatencyHistogram();
            for (const value of closedValues) {
              closed.recordValue(latencyToUnits(value));
              union.recordValue(latencyToUnits(value));
            }
            for (const value of currentValues) {
              current.recordValue(latencyToUnits(value));
              union.recordValue(latencyToUnits(value));
            }
            const result = percentilesOf(closed, current);
            expect(result).toEqual({
              p50: union.getValueAtPercentile(50) / LATENCY_UNITS_PER_MS,
              p95: union.getValueAtPercentile(95) / LATENCY_UNITS_PER_MS,
              p99: union.getValueAtPercentile(99) / LATENCY_UNITS_PER_MS,
            });
          },
        ),
      );
    });
  });

  describe('when compared with the exact percentile of the recorded values', () => {
    it('should be within 1 % for latencies of at least 1 ms', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: 1, max: 120_000, noNaN: true }), { minLength: 1, maxLength: 300 }), (values) => {
          const histogram = createLatencyHistogram();
          for (const value of values) histogram.recordValue(latencyToUnits(value));
          const result = percentilesOf(histogram, undefined);
          const sorted = [...values].sort((a, b) => a - b);
          for (const [p, reported] of [
            [50, result?.p50],
            [95, result?.p95],
            [99, result?.p99],
          ] as const) {
            const exact = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
            expect(Math.abs((reported as number) - exact) / exact).toBeLessThanOrEqual(0.01);
          }
        }),
      );
    });
  });
});

describe('latencyToUnits', () => {
  describe('when the latency is above the tracked range', () => {
    it('should clamp it to the maximum', () => {
      expect(latencyToUnits(MAX_TRACKED_LATENCY_MS * 10)).toBe(MAX_TRACKED_LATENCY_MS * LATENCY_UNITS_PER_MS);
    });
  });
});
