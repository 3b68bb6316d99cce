import fc from 'fast-check';
import { CountSlidingWindow, TimeSlidingWindow } from './sliding-window';

type Outcome = readonly [failed: boolean, slow: boolean];

describe(CountSlidingWindow, () => {
  describe('.record', () => {
    describe('for any sequence of outcomes', () => {
      it('should hold exactly the counts of the last `size` calls (property)', () => {
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.tuple(fc.boolean(), fc.boolean()), { maxLength: 100 }), (size, outcomes) => {
            const window = new CountSlidingWindow(size);
            for (const [failed, slow] of outcomes) window.record(0, failed, slow);
            const last = outcomes.slice(-size);
            expect([window.calls, window.failures, window.slowCalls]).toEqual([
              last.length,
              last.filter(([f]) => f).length,
              last.filter(([, s]) => s).length,
            ]);
          }),
          { seed: 1, numRuns: 300 },
        );
      });
    });
  });

  describe('.restore', () => {
    describe('when the snapshot comes from a larger window', () => {
      it('should keep the most recent calls', () => {
        const big = new CountSlidingWindow(5);
        const outcomes: Outcome[] = [[true, false], [true, false], [false, true], [false, false], [true, true]];
        for (const [f, s] of outcomes) big.record(0, f, s);
        const small = new CountSlidingWindow(3);
        small.restore(big.toJSON());
        expect([small.calls, small.failures, small.slowCalls]).toEqual([3, 1, 2]);
        expect(small.toJSON()).toEqual({ type: 'count', size: 3, outcomes: [2, 0, 3] });
      });
    });
  });
});

describe(TimeSlidingWindow, () => {
  describe('.advance', () => {
    describe('for any sequence of calls over time', () => {
      it('should hold exactly the calls of the last `size` seconds (property)', () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 10 }),
            fc.array(fc.tuple(fc.integer({ min: 0, max: 3_000 }), fc.boolean(), fc.boolean()), { maxLength: 80 }),
            (size, steps) => {
              const window = new TimeSlidingWindow(size);
              let now = 1_767_225_600_000;
              const log: { second: number; failed: boolean; slow: boolean }[] = [];
              for (const [gap, failed, slow] of steps) {
                now += gap;
                window.record(now, failed, slow);
                log.push({ second: Math.floor(now / 1_000), failed, slow });
              }
              window.advance(now);
              const current = Math.floor(now / 1_000);
              const kept = log.filter((entry) => entry.second > current - size);
              expect([window.calls, window.failures, window.slowCalls]).toEqual([
                kept.length,
                kept.filter((e) => e.failed).length,
                kept.filter((e) => e.slow).length,
              ]);
            },
          ),
          { seed: 2, numRuns: 300 },
        );
      });
    });

    describe('when the clock steps back', () => {
      it('should keep counting into the newest bucket', () => {
        const window = new TimeSlidingWindow(2);
        window.record(10_000, true, false);
        window.record(5_000, false, false);
        expect([window.calls, window.failures]).toEqual([2, 1]);
        window.advance(12_000);
        expect(window.calls).toBe(0);
      });
    });
  });

  describe('.restore', () => {
    describe('when given its own snapshot', () => {
      it('should round-trip', () => {
        const window = new TimeSlidingWindow(3);
        window.record(1_000, true, false);
        window.record(2_500, false, true);
        const copy = new TimeSlidingWindow(3);
        copy.restore(window.toJSON());
        expect(copy.toJSON()).toEqual(window.toJSON());
        copy.advance(4_000);
        expect([copy.calls, copy.slowCalls]).toEqual([1, 1]);
      });
    });
  });
});
