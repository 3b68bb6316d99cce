import { FakeClock, SeededRandom } from '@aegispay/domain/testing';
import { InvalidPaymentOutcomeError, RoutingConfigurationError } from '../errors/routing.errors';
import { IntelligentRoutingEngine } from '../routing/intelligent-routing-engine';
import type { RoutingRequest } from '../routing/routing-request';
import { GatewayMetricsCollector } from './gateway-metrics-collector';
import { SEGMENT_PRIOR_STRENGTH, segmentKey, type RoutingSegment } from './segment-evidence';

const card: RoutingSegment = { currency: 'EUR', paymentMethodType: 'CARD' };
const upi: RoutingSegment = { currency: 'INR', paymentMethodType: 'UPI' };

/** Records `approved` approvals then `missed` soft declines, interleaved, for `gateway` in `segment`. */
function record(collector: GatewayMetricsCollector, gateway: string, segment: RoutingSegment, approved: number, missed: number, amount = 2_500): void {
  const total = approved + missed;
  let misses = 0;
  for (let i = 1; i <= total; i++) {
    const miss = Math.floor((i * missed) / total) > misses;
    if (miss) misses += 1;
    collector.recordPayment(gateway, miss ? { success: true, declined: true, latency: 200, amount, segment } : { success: true, latency: 200, amount, segment });
  }
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('segment evidence', () => {
  describe('when outcomes carry a segment', () => {
    it('should shift the gateway rate towards the segment rate, shrunk by the segment evidence', () => {
      const collector = new GatewayMetricsCollector({ clock: new FakeClock() });
      record(collector, 'STRIPE', card, 90, 10);
      record(collector, 'STRIPE', upi, 50, 50);
      // Gateway rate over both segments 0.7; the card segment's 100 outcomes at 0.9 count for 100 / (100 + 20).
      const expected = (100 * (0.9 - 0.7)) / (100 + SEGMENT_PRIOR_STRENGTH);
      expect(collector.segmentShift('STRIPE', segmentKey(card, 2_500))).toBeCloseTo(expected, 2);
      expect(collector.segmentShift('STRIPE', segmentKey(upi, 2_500))).toBeCloseTo(-expected, 2);
    });

    it('should read no shift for a segment, band or gateway it never recorded', () => {
      const collector = new GatewayMetricsCollector({ clock: new FakeClock() });
      record(collector, 'STRIPE', card, 90, 10);
      expect(collector.segmentShift('STRIPE', segmentKey(card, 500_000))).toBe(0);
      expect(collector.segmentShift('STRIPE', segmentKey({ ...card, cardNetwork: 'VISA' }, 2_500))).toBe(0);
      expect(collector.segmentShift('ADYEN', segmentKey(card, 2_500))).toBe(0);
    });

    it('should hold at most maxSegments cells, dropping the least recently recorded', () => {
      const collector = new GatewayMetricsCollector({ clock: new FakeClock(), maxSegments: 2 });
      record(collector, 'STRIPE', card, 9, 1);
      record(collector, 'STRIPE', upi, 1, 9);
      record(collector, 'STRIPE', card, 1, 0);
      record(collector, 'STRIPE', { ...card, merchantId: 'm_2' }, 5, 5);
      expect(collector.trackedSegments).toBe(2);
      expect(collector.segmentShift('STRIPE', segmentKey(upi, 2_500))).toBe(0);
      expect(collector.segmentShift('STRIPE', segmentKey(card, 2_500))).toBeGreaterThan(0);
    });
  });

  describe.each([
    ['not an object', 'CARD', 'segment'],
    ['a lower-case currency', { currency: 'eur', paymentMethodType: 'CARD' }, 'segment.currency'],
    ['an unknown method', { currency: 'EUR', paymentMethodType: 'CHEQUE' }, 'segment.paymentMethodType'],
    ['an empty card network', { ...card, cardNetwork: '' }, 'segment.cardNetwork'],
    ['a lower-case country', { ...card, issuerCountry: 'de' }, 'segment.issuerCountry'],
  ])('when an outcome segment is %s', (_label, segment, field) => {
    it('should throw METRICS.INVALID_OUTCOME naming the field and record nothing', () => {
      const collector = new GatewayMetricsCollector({ clock: new FakeClock() });
      const error = thrown(() => collector.recordPayment('STRIPE', { success: true, latency: 1, amount: 1, segment: segment as RoutingSegment }));
      expect(error).toBeInstanceOf(InvalidPaymentOutcomeError);
      expect(error).toMatchObject({ code: 'METRICS.INVALID_OUTCOME', field });
      expect(collector.getMetrics('STRIPE').volume).toBe(0);
      expect(collector.trackedSegments).toBe(0);
    });
  });

  describe('when maxSegments is not a positive integer', () => {
    it('should throw METRICS.INVALID_OPTION', () => {
      expect(thrown(() => new GatewayMetricsCollector({ maxSegments: 0 }))).toBeInstanceOf(RoutingConfigurationError);
    });
  });

  describe('when routing', () => {
    // Both gateways approve 0.7 overall; STRIPE is the better one for cards, ADYEN for UPI.
    function setup() {
      const clock = new FakeClock();
      const collector = new GatewayMetricsCollector({ clock });
      for (let round = 0; round < 4; round++) {
        record(collector, 'STRIPE', card, 45, 5);
        record(collector, 'STRIPE', upi, 25, 25);
        record(collector, 'ADYEN', card, 25, 25);
        record(collector, 'ADYEN', upi, 45, 5);
      }
      const engine = new IntelligentRoutingEngine(collector, { clock, random: new SeededRandom(3), exploration: false, successWeight: 1 });
      return engine;
    }

    it('should choose by the segment of the request', () => {
      const engine = setup();
      const cardRequest: RoutingRequest = { amount: 2_500, currency: 'EUR', paymentMethodType: 'CARD' };
      const upiRequest: RoutingRequest = { amount: 2_500, currency: 'INR', paymentMethodType: 'UPI' };
      const forCard = engine.selectGateway(cardRequest, ['ADYEN', 'STRIPE']);
      const forUpi = engine.selectGateway(upiRequest, ['STRIPE', 'ADYEN']);
      expect(forCard.selectedGateway).toBe('STRIPE');
      expect(forUpi.selectedGateway).toBe('ADYEN');
      expect(forCard.selected.factors.success.value).toBeGreaterThan(0.8);
    });

    it('should read the gateway rate for a segment without evidence', () => {
      const engine = setup();
      const decision = engine.selectGateway({ amount: 2_500, currency: 'USD', paymentMethodType: 'WALLET' }, ['STRIPE', 'ADYEN']);
      expect(decision.selected.factors.success.value).toBeCloseTo(decision.alternatives[0]?.factors.success.value ?? 0, 2);
    });
  });
});
