import fc from 'fast-check';
import { summarizeLatencies } from './latency-summary';

describe('summarizeLatencies', () => {
  describe('when there are no samples', () => {
    it('should report zeros', () => {
      expect(summarizeLatencies([])).toEqual({ average: 0, p50: 0, p95: 0, p99: 0, max: 0 });
    });
  });

  describe('when given 1..100', () => {
    it('should report nearest-rank percentiles', () => {
      const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
      expect(summarizeLatencies(samples)).toEqual({ average: 50.5, p50: 50, p95: 95, p99: 99, max: 100 });
    });
  });

  describe('for any samples', () => {
    it('should return samples that have at least p·n samples at or below them', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 300 }), (samples) => {
          const summary = summarizeLatencies(samples);
          for (const [p, value] of [
            [0.5, summary.p50],
            [0.95, summary.p95],
            [0.99, summary.p99],
          ] as const) {
            expect(samples).toContain(value);
            expect(samples.filter((s) => s <= value).length).toBeGreaterThanOrEqual(Math.ceil(p * samples.length));
            expect(samples.filter((s) => s < value).length).toBeLessThan(Math.ceil(p * samples.length));
          }
          expect(summary.max).toBe(Math.max(...samples));
        }),
        { seed: 11 },
      );
    });
  });
});
