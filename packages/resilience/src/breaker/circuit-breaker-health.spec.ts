import fc from 'fast-check';
import { CIRCUIT_STATES } from './circuit-state';
import { computeHealthScore } from './circuit-breaker-health';

describe(computeHealthScore, () => {
  describe('when the breaker is closed with a perfect record', () => {
    it('should score 0.9 (0.5 state + 0.3 success rate + 0.1 streak)', () => {
      expect(
        computeHealthScore({ state: 'CLOSED', successRate: 1, consecutiveSuccesses: 50, consecutiveFailures: 0, successSaturation: 3, failureSaturation: 5 }),
      ).toBeCloseTo(0.9, 10);
    });
  });

  describe('when streaks are partial', () => {
    it('should scale them against their saturation', () => {
      const base = { state: 'HALF_OPEN' as const, successRate: 0.5, successSaturation: 4, failureSaturation: 5 };
      expect(computeHealthScore({ ...base, consecutiveSuccesses: 1, consecutiveFailures: 0 })).toBeCloseTo(0.25 + 0.15 + 0.025, 10);
      expect(computeHealthScore({ ...base, consecutiveSuccesses: 0, consecutiveFailures: 2 })).toBeCloseTo(0.25 + 0.15 - 0.04, 10);
    });
  });

  describe('for any inputs', () => {
    it('should stay in [0, 1] and be lower when open than closed (property)', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...CIRCUIT_STATES),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.nat(1_000),
          fc.nat(1_000),
          fc.integer({ min: 1, max: 50 }),
          fc.integer({ min: 1, max: 50 }),
          (state, successRate, consecutiveSuccesses, consecutiveFailures, successSaturation, failureSaturation) => {
            const inputs = { successRate, consecutiveSuccesses, consecutiveFailures, successSaturation, failureSaturation };
            const score = computeHealthScore({ state, ...inputs });
            expect(score).toBeGreaterThanOrEqual(0);
            expect(score).toBeLessThanOrEqual(1);
            expect(computeHealthScore({ state: 'OPEN', ...inputs })).toBeLessThanOrEqual(computeHealthScore({ state: 'CLOSED', ...inputs }));
          },
        ),
        { seed: 3, numRuns: 300 },
      );
    });
  });
});
