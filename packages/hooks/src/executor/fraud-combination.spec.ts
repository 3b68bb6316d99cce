import fc from 'fast-check';

import { combineFraudResults } from './fraud-combination';
import type { FraudCheckRecord } from './hook-outcomes';

const score = fc.double({ min: 0, max: 1, noNaN: true });
const records = fc
  .array(fc.record({ allowed: fc.boolean(), riskScore: score, reason: fc.option(fc.string(), { nil: undefined }) }), { maxLength: 8 })
  .map((list) =>
    list.map(
      ({ allowed, riskScore, reason }, index): FraudCheckRecord => ({
        hook: `check${index}`,
        allowed,
        riskScore,
        ...(reason === undefined ? {} : { reason }),
        failed: false,
      }),
    ),
  );
const threshold = fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true });

describe(combineFraudResults, () => {
  describe('when there are no answers', () => {
    it('should allow with risk 0', () => {
      expect(combineFraudResults([], 0.8)).toEqual({ allowed: true, riskScore: 0, deniedBy: null });
    });
  });

  describe('for any answers and threshold', () => {
    it('should report the highest score', () => {
      fc.assert(
        fc.property(records, threshold, (list, limit) => {
          expect(combineFraudResults(list, limit).riskScore).toBe(Math.max(0, ...list.map((r) => r.riskScore)));
        }),
      );
    });

    it('should allow exactly when nobody refused and the highest score is below the threshold', () => {
      fc.assert(
        fc.property(records, threshold, (list, limit) => {
          const expected = list.every((r) => r.allowed) && Math.max(0, ...list.map((r) => r.riskScore)) < limit;
          expect(combineFraudResults(list, limit).allowed).toBe(expected);
        }),
      );
    });

    it('should blame the first refusal when there is one, with its reason', () => {
      fc.assert(
        fc.property(records, threshold, (list, limit) => {
          const first = list.find((r) => !r.allowed);
          fc.pre(first !== undefined);
          const verdict = combineFraudResults(list, limit);
          expect(verdict.deniedBy).toBe(first?.hook);
          expect(verdict.reason).toBe(first?.reason ?? `Refused by fraud check "${first?.hook}"`);
        }),
      );
    });

    it('should blame the first check with the highest score when only the threshold refuses', () => {
      fc.assert(
        fc.property(records, threshold, (list, limit) => {
          const verdict = combineFraudResults(list, limit);
          fc.pre(list.every((r) => r.allowed) && !verdict.allowed);
          expect(verdict.deniedBy).toBe(list.find((r) => r.riskScore === verdict.riskScore)?.hook);
        }),
      );
    });

    it('should give a reason and a culprit exactly when refusing', () => {
      fc.assert(
        fc.property(records, threshold, (list, limit) => {
          const verdict = combineFraudResults(list, limit);
          expect(verdict.deniedBy === null).toBe(verdict.allowed);
          expect(verdict.reason === undefined).toBe(verdict.allowed);
        }),
      );
    });
  });
});
