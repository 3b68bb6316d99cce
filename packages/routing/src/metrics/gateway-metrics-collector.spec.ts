import { FakeClock } from '@aegispay/domain/testing';
import fc from 'fast-check';
import { InvalidOptionError } from '@aegispay/domain';
import { InvalidGatewayArgumentError, RoutingConfigurationError } from '../errors/routing.errors';
import { primeGatewayMetrics } from '../testing';
import { GatewayMetricsCollector } from './gateway-metrics-collector';
import { MAX_TRACKED_LATENCY_MS } from './latency-histogram';

const ok = { success: true, latency: 100, amount: 1_000 } as const;

function setup(options: ConstructorParameters<typeof GatewayMetricsCollector>[0] = {}) {
  const clock = new FakeClock();
  const collector = new GatewayMetricsCollector({ clock, ...options });
  return { clock, collector };
}

describe(GatewayMetricsCollector, () => {
  describe('constructor', () => {
    describe.each([
      ['windowSize', { windowSize: 0 }],
      ['maxEntries', { maxEntries: 1.5 }],
      ['buckets', { buckets: 0 }],
      ['buckets', { buckets: 5_000 }],
      ['estimator.halfLife', { estimator: { halfLife: -1 } }],
      ['estimator.changeDetection', { estimator: { changeDetection: 'no' as never } }],
      ['estimator', { estimator: 5 as never }],
      ['clock', { clock: { now: 0 } as never }],
    ])('when %s is invalid', (field, options) => {
      it('should throw RoutingConfigurationError (an InvalidOptionError) naming the option', () => {
        expect(() => new GatewayMetricsCollector(options)).toThrow(RoutingConfigurationError);
        expect(() => new GatewayMetricsCollector(options)).toThrow(InvalidOptionError);
        expect(() => new GatewayMetricsCollector(options)).toThrow(expect.objectContaining({ code: 'METRICS.INVALID_OPTION', field }));
        expect(() => new GatewayMetricsCollector(options)).toThrow(new RegExp(`^GatewayMetricsCollector: ${field.replace('.', '\\.')} `));
      });
    });
  });

  describe('when no window option is given', () => {
    it('should act on the documented defaults: one hour, 10 000 outcomes', async () => {
      const { clock, collector } = setup();
      collector.recordPayment('STRIPE', { ...ok, success: false });
      await clock.advance(3_400_000); // 56 min 40 s: still in the hour (whatever the bucket edges)
      expect(collector.getMetrics('STRIPE').volume).toBe(1);
      await clock.advance(200_001);
      expect(collector.getMetrics('STRIPE').volume).toBe(0);
      for (let i = 0; i < 12_000; i++) collector.recordPayment('STRIPE', ok);
      expect(collector.getMetrics('STRIPE').volume).toBeLessThanOrEqual(10_000);
      expect(collector.getMetrics('STRIPE').volume).toBeGreaterThanOrEqual(9_500);
    });
  });

  describe('.getMetrics', () => {
    describe('when the gateway was never recorded', () => {
      it('should answer hasData: false with null figures', () => {
        const { collector } = setup();
        const metrics = collector.getMetrics('STRIPE');
        expect(metrics).toMatchObject({ gateway: 'STRIPE', hasData: false, volume: 0, successRate: null, p95Latency: null, lastUpdated: null });
      });
    });

    describe('when outcomes were recorded', () => {
      it('should report health, approvals, declines, costs and amounts over the window', () => {
        const { collector } = setup();
        collector.recordPayment('STRIPE', { success: true, latency: 100, amount: 1_000, cost: 30 });
        collector.recordPayment('STRIPE', { success: true, declined: true, declineType: 'SOFT', errorCode: 'do_not_honor', latency: 200, amount: 2_000 });
        collector.recordPayment('STRIPE', { success: true, declined: true, declineType: 'HARD', errorCode: 'stolen_card', latency: 300, amount: 3_000 });
        collector.recordPayment('STRIPE', { success: false, errorCode: 'HTTP_503', latency: 400, amount: 4_000 });
        const metrics = collector.getMetrics('STRIPE');
        if (!metrics.hasData) throw new Error('expected data');
        expect(metrics).toMatchObject({
          volume: 4,
          successCount: 3,
          failureCount: 1,
          declineCount: 2,
          hardDeclineCount: 1,
          approvedCount: 1,
          successRate: 0.75,
          approvalRate: 1 / 3,
          averageLatency: 250,
          totalCost: 30,
          averageCost: 30,
          costRatio: 0.03,
          totalAmount: 10_000,
          errorCounts: { do_not_honor: 1, stolen_card: 1, HTTP_503: 1 },
        });
        expect(Object.isFrozen(metrics)).toBe(true);
      });

      it('should compute latency percentiles that include failed attempts', () => {
        const { collector } = setup();
        for (let i = 1; i <= 100; i++) collector.recordPayment('STRIPE', { ...ok, success: i <= 90, latency: i <= 90 ? 100 : 5_000 });
        const metrics = collector.getMetrics('STRIPE');
        // HdrHistogram reports the top of the value's bucket: within 1 %, never below.
        expect(metrics.p50Latency).toBeGreaterThanOrEqual(100);
        expect(metrics.p50Latency).toBeLessThanOrEqual(101);
        expect(metrics.p95Latency).toBeGreaterThanOrEqual(5_000);
        expect(metrics.p95Latency).toBeLessThanOrEqual(5_050);
      });

      it('should cap a latency above MAX_TRACKED_LATENCY_MS in the average as in the percentiles', () => {
        const { collector } = setup();
        collector.recordPayment('STRIPE', { ...ok, latency: 1e300 });
        collector.recordPayment('STRIPE', { ...ok, latency: 100 });
        const metrics = collector.getMetrics('STRIPE');
        expect(metrics.averageLatency).toBe((MAX_TRACKED_LATENCY_MS + 100) / 2);
        expect(metrics.p99Latency).toBeGreaterThanOrEqual(MAX_TRACKED_LATENCY_MS);
        expect(metrics.p99Latency).toBeLessThanOrEqual(MAX_TRACKED_LATENCY_MS * 1.01);
      });

      it('should return the same object until something changes', () => {
        const { collector } = setup();
        collector.recordPayment('STRIPE', ok);
        const first = collector.getMetrics('STRIPE');
        expect(collector.getMetrics('STRIPE')).toBe(first);
        collector.recordPayment('STRIPE', ok);
        expect(collector.getMetrics('STRIPE')).not.toBe(first);
      });
    });

    describe('when outcomes get older than the window', () => {
      it('should stop counting them, and never count an outcome older than windowSize', async () => {
        const { clock, collector } = setup({ windowSize: 60_000, buckets: 6 });
        collector.recordPayment('STRIPE', { ...ok, success: false });
        await clock.advance(30_000);
        collector.recordPayment('STRIPE', ok);
        expect(collector.getMetrics('STRIPE').volume).toBe(2);
        await clock.advance(30_001);
        const metrics = collector.getMetrics('STRIPE');
        expect(metrics).toMatchObject({ volume: 1, successRate: 1 });
        await clock.advance(30_000);
        expect(collector.getMetrics('STRIPE')).toMatchObject({ hasData: false, volume: 0, lastUpdated: clock.now() - 60_001 });
      });
    });

    describe('when traffic exceeds maxEntries', () => {
      it('should never count more than maxEntries outcomes', () => {
        const { collector } = setup({ maxEntries: 100, buckets: 10 });
        for (let i = 0; i < 1_000; i++) {
          collector.recordPayment('STRIPE', { ...ok, latency: i });
          expect(collector.getMetrics('STRIPE').volume).toBeLessThanOrEqual(100);
        }
        const metrics = collector.getMetrics('STRIPE');
        expect(metrics.volume).toBeGreaterThanOrEqual(90);
        // Only the newest outcomes remain: the oldest latency left is at least 900.
        expect(metrics.averageLatency).toBeGreaterThan(900);
      });
    });
  });

  describe('window invariants', () => {
    describe('when outcomes arrive at arbitrary times', () => {
      it('should never count more than maxEntries, nor an outcome older than windowSize', () => {
        fc.assert(
          fc.property(
            fc.array(fc.tuple(fc.integer({ min: 0, max: 4_000 }), fc.boolean()), { minLength: 1, maxLength: 300 }),
            fc.integer({ min: 1, max: 80 }),
            fc.integer({ min: 1, max: 12 }),
            (steps, maxEntries, buckets) => {
              const windowSize = 10_000;
              const { clock, collector } = setup({ windowSize, maxEntries, buckets });
              const times: number[] = [];
              for (const [wait, success] of steps) {
                clock.tick(wait);
                collector.recordPayment('STRIPE', { success, latency: 10, amount: 100 });
                times.push(clock.now());
                const inWindow = times.filter((at) => clock.now() - at <= windowSize).length;
                const metrics = collector.getMetrics('STRIPE');
                expect(metrics.volume).toBeLessThanOrEqual(Math.min(maxEntries, inWindow));
                if (metrics.hasData) expect(clock.now() - metrics.windowStart).toBeLessThanOrEqual(windowSize);
                expect(metrics.volume).toBeGreaterThan(0);
              }
            },
          ),
        );
      });

      it('should keep every outcome younger than windowSize minus one bucket when maxEntries is not reached', () => {
        fc.assert(
          fc.property(fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 12 }), (waits, buckets) => {
            const windowSize = 10_000;
            const { clock, collector } = setup({ windowSize, maxEntries: 1_000_000, buckets });
            const times: number[] = [];
            for (const wait of waits) {
              clock.tick(wait);
              collector.recordPayment('STRIPE', ok);
              times.push(clock.now());
              const surely = times.filter((at) => clock.now() - at <= windowSize - windowSize / buckets).length;
              expect(collector.getMetrics('STRIPE').volume).toBeGreaterThanOrEqual(surely);
            }
          }),
        );
      });
    });
  });

  describe('.recordPayment', () => {
    describe('when the outcome is malformed', () => {
      it('should throw and record nothing', () => {
        const { collector } = setup();
        expect(() => collector.recordPayment('STRIPE', { success: true, latency: -5, amount: 100 })).toThrow(/latency/);
        expect(collector.getMetrics('STRIPE').volume).toBe(0);
      });
    });

    describe('when the gateway name is empty', () => {
      it('should throw InvalidGatewayArgumentError, for input from the caller rather than a bad option', () => {
        const { collector } = setup();
        expect(() => collector.recordPayment('', ok)).toThrow(InvalidGatewayArgumentError);
        expect(() => collector.recordPayment('', ok)).toThrow(expect.objectContaining({ code: 'METRICS.INVALID_GATEWAY', field: 'gateway' }));
        expect(() => collector.recordPayment('', ok)).not.toThrow(InvalidOptionError);
      });
    });

    describe('when a gateway with a long good history goes down', () => {
      it('should drop its recent approval estimate within a handful of failures', () => {
        const { collector } = setup({ estimator: { changeDetection: true } });
        const { collector: slow } = setup({ estimator: { changeDetection: false } });
        for (const c of [collector, slow]) primeGatewayMetrics(c, 'STRIPE', { approved: 950, declined: 50 });
        expect(collector.getMetrics('STRIPE').recentApprovalRate).toBeGreaterThan(0.94);
        for (let i = 0; i < 8; i++) for (const c of [collector, slow]) c.recordPayment('STRIPE', { ...ok, success: false });
        // The history was replaced by the recent outcomes: 8 failures move the estimate by 18 points…
        expect(collector.getMetrics('STRIPE').recentApprovalRate).toBeLessThan(0.8);
        // …where, without change detection, 1 000 outcomes of history hold it within 1 point.
        expect(slow.getMetrics('STRIPE').recentApprovalRate).toBeGreaterThan(0.93);
        for (let i = 0; i < 30; i++) collector.recordPayment('STRIPE', { ...ok, success: false });
        expect(collector.getMetrics('STRIPE').recentApprovalRate).toBeLessThan(0.5);
        // The window, by design, still shows the hour's average.
        expect(collector.getMetrics('STRIPE').successRate).toBeGreaterThan(0.95);
      });
    });

    describe('when the card was hard-declined', () => {
      it('should leave the approval estimate alone (card quality is not gateway quality)', () => {
        const { collector } = setup();
        primeGatewayMetrics(collector, 'STRIPE', { approved: 100 });
        const before = collector.getMetrics('STRIPE').recentApprovalRate;
        for (let i = 0; i < 20; i++) collector.recordPayment('STRIPE', { ...ok, declined: true, declineType: 'HARD' });
        expect(collector.getMetrics('STRIPE').recentApprovalRate).toBeCloseTo(before as number, 2);
        expect(collector.getMetrics('STRIPE').successRate).toBe(1);
      });
    });
  });

  describe('.getAllMetrics', () => {
    describe('when several gateways were recorded', () => {
      it('should return a Map of every gateway in first-recorded order', () => {
        const { collector } = setup();
        collector.recordPayment('PAYPAL', ok);
        collector.recordPayment('STRIPE', ok);
        const all = collector.getAllMetrics();
        expect(all).toBeInstanceOf(Map);
        expect([...all.keys()]).toEqual(['PAYPAL', 'STRIPE']);
        expect(collector.knownGateways()).toEqual(['PAYPAL', 'STRIPE']);
      });
    });
  });

  describe('.getRoutingSignals', () => {
    describe('when the gateway was never recorded', () => {
      it('should return undefined', () => {
        expect(setup().collector.getRoutingSignals('STRIPE')).toBeUndefined();
      });
    });

    describe('when outcomes keep arriving', () => {
      it('should refresh the cached p95 once enough of the window is new', () => {
        const { collector } = setup();
        for (let i = 0; i < 160; i++) collector.recordPayment('STRIPE', { ...ok, latency: 100 });
        expect(collector.getRoutingSignals('STRIPE')?.p95Latency).toBeCloseTo(100, -1);
        for (let i = 0; i < 9; i++) collector.recordPayment('STRIPE', { ...ok, latency: 900 });
        // 9 new outcomes out of 169 are not enough to recompute the percentiles for routing…
        expect(collector.getRoutingSignals('STRIPE')?.p95Latency).toBeCloseTo(100, -1);
        // …while the exact figures are always up to date.
        expect(collector.getMetrics('STRIPE').p95Latency).toBeCloseTo(900, -1);
        for (let i = 0; i < 12; i++) collector.recordPayment('STRIPE', { ...ok, latency: 900 });
        // A sixteenth of the window is.
        expect(collector.getRoutingSignals('STRIPE')?.p95Latency).toBeCloseTo(900, -1);
      });
    });
  });
});
