import { ValidationError } from '@aegispay/domain';
import { FakeClock, SeededRandom, aPendingPayment } from '@aegispay/domain/testing';
import { InvalidRoutingRequestError, NoGatewayAvailableError } from '../errors/routing.errors';
import { GatewayMetricsCollector } from '../metrics/gateway-metrics-collector';
import { createCountryPreferenceRule } from '../rules/preference.rule';
import { createHighValueRule } from '../rules/high-value.rule';
import { primeGatewayMetrics } from '../testing';
import { IntelligentRoutingEngine } from './intelligent-routing-engine';
import { routingSegmentOf, type RoutingRequest } from './routing-request';

function setup() {
  const clock = new FakeClock();
  const collector = new GatewayMetricsCollector({ clock });
  const engine = new IntelligentRoutingEngine(collector, { clock, random: new SeededRandom(7), exploration: false });
  primeGatewayMetrics(collector, 'STRIPE', { approved: 90, declined: 10 });
  primeGatewayMetrics(collector, 'ADYEN', { approved: 88, declined: 12 });
  return { clock, collector, engine };
}

const request: RoutingRequest = { amount: 2_500, currency: 'EUR', paymentMethodType: 'CARD', cardNetwork: 'VISA', issuerCountry: 'DE', merchantId: 'm_1' };

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('IntelligentRoutingEngine.selectGateway with a routing request', () => {
  describe('when given a routing request instead of a payment', () => {
    it('should score and choose exactly as for a payment of the same amount and currency', () => {
      const { engine } = setup();
      const fromRequest = engine.selectGateway(request, ['ADYEN', 'STRIPE']);
      const fromPayment = engine.selectGateway(aPendingPayment({ amount: 2_500, currency: 'EUR' }), ['ADYEN', 'STRIPE']);
      expect(fromRequest.selectedGateway).toBe('STRIPE');
      expect(fromRequest.score).toBe(fromPayment.score);
      expect(fromRequest.alternatives).toEqual(fromPayment.alternatives);
    });

    it('should let rules read its amount, currency, method and issuer country', () => {
      const { engine } = setup();
      const seen: unknown[] = [];
      engine.registerRule({
        name: 'spy',
        priority: 200,
        condition: (payment) => {
          seen.push({ amount: payment.amount, currency: payment.currency, method: payment.paymentMethod.type, merchant: payment.merchantId });
          return false;
        },
        selectGateway: () => null,
      });
      engine.registerRule(createCountryPreferenceRule({ DE: ['ADYEN'] }));
      const decision = engine.selectGateway(request, ['STRIPE', 'ADYEN']);
      expect(seen).toEqual([{ amount: 2_500, currency: 'EUR', method: 'CARD', merchant: 'm_1' }]);
      expect(decision).toMatchObject({ selectedGateway: 'ADYEN', rule: 'country-preference' });
    });

    it('should apply amount rules to its amount', () => {
      const { engine } = setup();
      engine.registerRule(createHighValueRule(10_000));
      expect(engine.selectGateway({ ...request, amount: 50_000 }, ['ADYEN', 'STRIPE']).rule).toBe('high-value');
      expect(engine.selectGateway(request, ['ADYEN', 'STRIPE']).rule).toBeNull();
    });
  });

  describe.each([
    ['null', null, ''],
    ['a string', 'pay_1', ''],
    ['an object that is neither', { amount: 100, currency: 'EUR' }, 'paymentMethodType'],
    ['a zero amount', { ...request, amount: 0 }, 'amount'],
    ['a fractional amount', { ...request, amount: 10.5 }, 'amount'],
    ['a lower-case currency', { ...request, currency: 'eur' }, 'currency'],
    ['an unknown method type', { ...request, paymentMethodType: 'CHEQUE' }, 'paymentMethodType'],
    ['an empty card network', { ...request, cardNetwork: '' }, 'cardNetwork'],
    ['a three-letter issuer country', { ...request, issuerCountry: 'DEU' }, 'issuerCountry'],
    ['a numeric merchant', { ...request, merchantId: 42 }, 'merchantId'],
  ])('when given %s', (_label, input, field) => {
    it('should throw ROUTING.INVALID_REQUEST naming the field, before anything else', () => {
      const { engine } = setup();
      const error = thrown(() => engine.selectGateway(input as RoutingRequest, []));
      expect(error).toBeInstanceOf(InvalidRoutingRequestError);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code: 'ROUTING.INVALID_REQUEST', field });
    });
  });

  describe('when no gateway is available', () => {
    it('should throw NoGatewayAvailableError for a request too', () => {
      const { engine } = setup();
      expect(thrown(() => engine.selectGateway({ ...request, id: 'order_9' }, []))).toBeInstanceOf(NoGatewayAvailableError);
    });
  });
});

describe('routingSegmentOf', () => {
  it('should give the segment selectGateway reads for the payment, so recording with it steers routing', () => {
    const clock = new FakeClock();
    const collector = new GatewayMetricsCollector({ clock });
    const engine = new IntelligentRoutingEngine(collector, { clock, random: new SeededRandom(5), exploration: false });
    const payment = aPendingPayment({ amount: 2_500, currency: 'EUR', metadata: { country: 'de', cardNetwork: 'visa' } });
    const segment = routingSegmentOf(payment);
    expect(segment).toMatchObject({ currency: 'EUR', issuerCountry: 'DE', cardNetwork: 'VISA', merchantId: payment.merchantId });
    // Equal at the gateway level; in this payment's segment ADYEN approves more.
    for (let i = 0; i < 400; i++) {
      const inSegment = i % 2 === 0;
      const other = { ...segment, currency: 'USD' };
      collector.recordPayment('STRIPE', { success: true, declined: inSegment ? i % 10 === 0 : i % 10 !== 1, latency: 200, amount: 2_500, segment: inSegment ? segment : other });
      collector.recordPayment('ADYEN', { success: true, declined: inSegment ? false : i % 10 !== 1 || i % 4 === 1, latency: 200, amount: 2_500, segment: inSegment ? segment : other });
    }
    expect(engine.selectGateway(payment, ['STRIPE', 'ADYEN']).selectedGateway).toBe('ADYEN');
  });

  it('should leave out a malformed country or network rather than make recording fail', () => {
    const payment = aPendingPayment({ metadata: { country: 'Germany', cardNetwork: '' } });
    const segment = routingSegmentOf(payment);
    expect(segment.issuerCountry).toBeUndefined();
    expect(segment.cardNetwork).toBeUndefined();
    const collector = new GatewayMetricsCollector({ clock: new FakeClock() });
    collector.recordPayment('STRIPE', { success: true, latency: 1, amount: 1, segment });
    expect(collector.trackedSegments).toBe(1);
  });
});
