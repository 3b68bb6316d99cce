import fc from 'fast-check';
import { ChaosRandom, hashName, mixSeed, pick } from './chaos-random';

describe('ChaosRandom', () => {
  describe('.roll', () => {
    describe('when two streams share a seed', () => {
      it('should produce the same dice, all in [0, 1)', () => {
        fc.assert(
          fc.property(fc.integer(), (seed) => {
            const a = new ChaosRandom(seed);
            const b = new ChaosRandom(seed);
            for (let i = 0; i < 20; i += 1) {
              const dice = a.roll();
              expect(b.roll()).toEqual(dice);
              for (const value of Object.values(dice)) {
                expect(value).toBeGreaterThanOrEqual(0);
                expect(value).toBeLessThan(1);
              }
            }
          }),
          { seed: 7, numRuns: 50 },
        );
      });
    });

    describe('when the seed is fixed', () => {
      it('should give the same numbers on every machine (xoroshiro128+ from pure-rand)', () => {
        const dice = new ChaosRandom(42).roll();
        expect(new ChaosRandom(42).roll()).toEqual(dice);
        expect(new ChaosRandom(43).roll()).not.toEqual(dice);
      });
    });
  });

  describe('.at', () => {
    it('should depend on the seed and key alone', () => {
      expect(ChaosRandom.at(1, 5)).toBe(ChaosRandom.at(1, 5));
      expect(ChaosRandom.at(1, 5)).not.toBe(ChaosRandom.at(1, 6));
    });
  });
});

describe('mixSeed', () => {
  it('should tell apart seeds that differ only in their high 32 bits', () => {
    expect(mixSeed(1)).not.toBe(mixSeed(1 + 2 ** 32));
    expect(mixSeed(1, hashName('STRIPE'))).not.toBe(mixSeed(1, hashName('PAYPAL')));
    expect(mixSeed(-5)).toBe(mixSeed(-5));
  });
});

describe('pick', () => {
  it('should map [0, 1) onto the items uniformly and never past the end', () => {
    expect(pick(['a', 'b', 'c'], 0)).toBe('a');
    expect(pick(['a', 'b', 'c'], 0.34)).toBe('b');
    expect(pick(['a', 'b', 'c'], 0.9999999)).toBe('c');
  });
});
