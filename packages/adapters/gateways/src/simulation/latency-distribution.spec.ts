import { SeededRandom } from '@aegispay/domain/testing';
import fc from 'fast-check';
import { LogNormalLatency, inverseStandardNormal, type LogNormalLatencyOptions } from './latency-distribution';

describe(LogNormalLatency, () => {
  describe('constructor', () => {
    describe.each<[string, Partial<LogNormalLatencyOptions>, string]>([
      ['a negative median', { medianMs: -1, p95Ms: 10 }, 'latency.medianMs'],
      ['a negative p95', { medianMs: 0, p95Ms: -5 }, 'latency.p95Ms'],
      ['a p95 below the median', { medianMs: 200, p95Ms: 100 }, 'latency.p95Ms'],
      ['a zero median under a positive p95', { medianMs: 0, p95Ms: 100 }, 'latency.medianMs'],
      ['a median that is not finite', { medianMs: Infinity, p95Ms: Infinity }, 'latency.medianMs'],
      ['a missing p95', { medianMs: 100 }, 'latency.p95Ms'],
    ])('when given %s', (_case, options, field) => {
      it(`should throw an InvalidOptionError naming ${field}`, () => {
        const create = (): LogNormalLatency => new LogNormalLatency(options as LogNormalLatencyOptions);
        expect(create).toThrow(expect.objectContaining({ name: 'InvalidOptionError', code: 'GATEWAY.INVALID_OPTION', field: field }) as Error);
      });
    });

    describe('when given a prefix', () => {
      it('should name the option under that prefix', () => {
        expect(() => new LogNormalLatency({ medianMs: -1, p95Ms: 1 }, 'profiles.STRIPE.latency')).toThrow(
          /Invalid option profiles\.STRIPE\.latency\.medianMs: must be a finite number ≥ 0 \(got -1\)/,
        );
      });
    });
  });

  describe('.quantile', () => {
    describe('when the median and the p95 differ', () => {
      it('should put the median at 0.5 and the p95 at 0.95', () => {
        const latency = new LogNormalLatency({ medianMs: 180, p95Ms: 450 });
        expect(latency.quantile(0.5)).toBe(180);
        expect(latency.quantile(0.95)).toBe(450);
        expect(latency.quantile(0.05)).toBe(72); // 180² / 450: the log-normal is symmetric in log space
      });

      it('should be non-decreasing in p', () => {
        const latency = new LogNormalLatency({ medianMs: 220, p95Ms: 600 });
        fc.assert(
          fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (a, b) => {
            const [low, high] = a <= b ? [a, b] : [b, a];
            return latency.quantile(low) <= latency.quantile(high);
          }),
        );
      });

      it('should give 0 at p = 0 and a finite latency just below 1', () => {
        const latency = new LogNormalLatency({ medianMs: 100, p95Ms: 300 });
        expect(latency.quantile(0)).toBe(0);
        expect(Number.isFinite(latency.quantile(1 - 2 ** -53))).toBe(true);
      });
    });

    describe('when the median equals the p95', () => {
      it('should always give the median', () => {
        const latency = new LogNormalLatency({ medianMs: 100, p95Ms: 100 });
        expect([0, 0.01, 0.5, 0.99].map((p) => latency.quantile(p))).toEqual([100, 100, 100, 100]);
        expect(latency.isZero).toBe(false);
      });
    });

    describe('when both are zero', () => {
      it('should always give 0 and report isZero', () => {
        const latency = new LogNormalLatency({ medianMs: 0, p95Ms: 0 });
        expect([0, 0.5, 0.99].map((p) => latency.quantile(p))).toEqual([0, 0, 0]);
        expect(latency.isZero).toBe(true);
      });
    });
  });

  describe('.sample', () => {
    it('should use exactly one draw per sample', () => {
      const latency = new LogNormalLatency({ medianMs: 100, p95Ms: 250 });
      const random = { next: jest.fn(() => 0.5) };
      expect(latency.sample(random)).toBe(100);
      expect(random.next).toHaveBeenCalledTimes(1);
    });

    describe('when sampled many times with a seed', () => {
      it('should show the configured median and p95', () => {
        const latency = new LogNormalLatency({ medianMs: 320, p95Ms: 1000 });
        const random = new SeededRandom(2026);
        const samples = Array.from({ length: 20_000 }, () => latency.sample(random)).sort((a, b) => a - b);
        const median = samples[10_000] as number;
        const p95 = samples[19_000] as number;
        expect(Math.abs(median - 320) / 320).toBeLessThan(0.03);
        expect(Math.abs(p95 - 1000) / 1000).toBeLessThan(0.04);
        expect(samples.every((ms) => Number.isInteger(ms) && ms >= 0)).toBe(true);
      });
    });
  });
});

describe(inverseStandardNormal, () => {
  it('should match tabulated quantiles', () => {
    expect(inverseStandardNormal(0.5)).toBeCloseTo(0, 9);
    expect(inverseStandardNormal(0.95)).toBeCloseTo(1.6448536269514722, 8);
    expect(inverseStandardNormal(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(inverseStandardNormal(0.001)).toBeCloseTo(-3.090232306167813, 7);
    expect(inverseStandardNormal(0)).toBe(-Infinity);
    expect(inverseStandardNormal(1)).toBe(Infinity);
  });

  it('should be antisymmetric around 0.5', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), (p) => {
        return Math.abs(inverseStandardNormal(p) + inverseStandardNormal(1 - p)) < 1e-6;
      }),
    );
  });
});
