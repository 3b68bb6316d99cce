import type { GatewayType } from '@aegispay/domain';
import { FakeClock, aPendingPayment } from '@aegispay/domain/testing';
import { RoutingConfigurationError } from '../errors/routing.errors';
import { GatewayMetricsCollector } from '../metrics/gateway-metrics-collector';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import { primeGatewayMetrics } from '../testing';
import { createCostOptimizedRule } from './cost-optimized.rule';
import { createHighValueRule } from './high-value.rule';
import { createLowLatencyRule } from './low-latency.rule';
import { createCountryPreferenceRule, createCurrencyPreferenceRule } from './preference.rule';

const context = { now: 0 };

function metricsOf(collector: GatewayMetricsCollector, gateways: readonly GatewayType[]): ReadonlyMap<GatewayType, GatewayMetrics> {
  return new Map(gateways.map((gateway) => [gateway, collector.getMetrics(gateway)]));
}

function collectorWith(setup: (collector: GatewayMetricsCollector) => void): GatewayMetricsCollector {
  const collector = new GatewayMetricsCollector({ clock: new FakeClock() });
  setup(collector);
  return collector;
}

describe(createHighValueRule, () => {
  const collector = collectorWith((c) => {
    primeGatewayMetrics(c, 'STRIPE', { approved: 95, declined: 5 });
    primeGatewayMetrics(c, 'PAYPAL', { approved: 85, declined: 15 });
    primeGatewayMetrics(c, 'NEWPAY', { approved: 5 });
  });
  const gateways = ['PAYPAL', 'STRIPE', 'NEWPAY'];

  describe('condition', () => {
    it('should hold at or above the threshold, per currency when given a map', () => {
      const rule = createHighValueRule({ EUR: 100_00, JPY: 15_000 });
      expect(rule.condition(aPendingPayment({ amount: 100_00 }), context)).toBe(true);
      expect(rule.condition(aPendingPayment({ amount: 99_99 }), context)).toBe(false);
      expect(rule.condition(aPendingPayment({ amount: 100_00, currency: 'USD' }), context)).toBe(false);
      expect(rule.condition(aPendingPayment({ amount: 15_000, currency: 'JPY' }), context)).toBe(true);
    });
  });

  describe('selectGateway', () => {
    it('should choose the best proven approval estimate and ignore unproven gateways', () => {
      const rule = createHighValueRule(100_00);
      expect(rule.selectGateway(aPendingPayment(), gateways, metricsOf(collector, gateways))).toBe('STRIPE');
      expect(rule.selectGateway(aPendingPayment(), ['NEWPAY'], metricsOf(collector, ['NEWPAY']))).toBeUndefined();
      expect(rule).toMatchObject({ name: 'high-value', priority: 100 });
    });
  });

  describe('when the threshold is invalid', () => {
    it('should throw ROUTING.INVALID_RULE', () => {
      expect(() => createHighValueRule(-1)).toThrow(expect.objectContaining({ code: 'ROUTING.INVALID_RULE', field: 'threshold' }));
      expect(() => createHighValueRule(-1)).toThrow(RoutingConfigurationError);
      expect(() => createHighValueRule(-1)).toThrow(/^createHighValueRule: threshold must be an amount in minor units ≥ 0/);
    });

    it('should refuse a per-currency key that no payment carries, rather than never apply', () => {
      expect(() => createHighValueRule({ eur: 100_00 })).toThrow(expect.objectContaining({ code: 'ROUTING.INVALID_RULE', field: 'threshold.eur' }));
      expect(() => createHighValueRule({ EURO: 100_00 })).toThrow(/ISO 4217/);
    });
  });
});

describe(createLowLatencyRule, () => {
  const collector = collectorWith((c) => {
    primeGatewayMetrics(c, 'SLOW', { approved: 95, declined: 5, latency: 900 });
    primeGatewayMetrics(c, 'FAST', { approved: 93, declined: 7, latency: 80 });
    primeGatewayMetrics(c, 'DOWN', { approved: 20, failed: 80, latency: 20 });
  });
  const gateways = ['SLOW', 'FAST', 'DOWN'];

  describe('condition', () => {
    it('should hold for latency-sensitive payments (context, metadata or method type)', () => {
      const rule = createLowLatencyRule(100, { paymentMethodTypes: ['UPI'] });
      expect(rule.condition(aPendingPayment(), context)).toBe(false);
      expect(rule.condition(aPendingPayment(), { ...context, latencySensitive: true })).toBe(true);
      expect(rule.condition(aPendingPayment({ metadata: { latencySensitive: true } }), context)).toBe(true);
      expect(rule.condition(aPendingPayment({ paymentMethod: { type: 'UPI', token: 'vpa_1' } }), context)).toBe(true);
    });
  });

  describe('selectGateway', () => {
    it('should choose a healthy gateway within the latency limit, never a fast one in an outage', () => {
      const rule = createLowLatencyRule(100);
      expect(rule.selectGateway(aPendingPayment(), gateways, metricsOf(collector, gateways))).toBe('FAST');
      expect(rule.selectGateway(aPendingPayment(), ['SLOW', 'DOWN'], metricsOf(collector, ['SLOW', 'DOWN']))).toBeUndefined();
    });
  });
});

describe(createCostOptimizedRule, () => {
  const costs = { STRIPE: { percentage: 0.029, fixed: 30 }, SQUARE: { percentage: 0.012, fixed: 5 }, CHEAPBAD: { percentage: 0.001 } };
  const collector = collectorWith((c) => {
    primeGatewayMetrics(c, 'STRIPE', { approved: 95, declined: 5 });
    primeGatewayMetrics(c, 'SQUARE', { approved: 94, declined: 6 });
    primeGatewayMetrics(c, 'CHEAPBAD', { approved: 80, declined: 20 });
  });
  const gateways = ['STRIPE', 'SQUARE', 'CHEAPBAD'];

  describe('condition', () => {
    it('should hold at or below the amount', () => {
      const rule = createCostOptimizedRule(20_00, { costs });
      expect(rule.condition(aPendingPayment({ amount: 20_00 }), context)).toBe(true);
      expect(rule.condition(aPendingPayment({ amount: 20_01 }), context)).toBe(false);
    });
  });

  describe('selectGateway', () => {
    it('should choose the cheapest gateway within the approval tolerance', () => {
      const rule = createCostOptimizedRule(20_00, { costs });
      expect(rule.selectGateway(aPendingPayment({ amount: 10_00 }), gateways, metricsOf(collector, gateways))).toBe('SQUARE');
    });

    it('should price gateways without a model at their observed cost ratio', () => {
      const observed = collectorWith((c) => {
        primeGatewayMetrics(c, 'A', { approved: 95, declined: 5, cost: 300, amount: 10_000 });
        primeGatewayMetrics(c, 'B', { approved: 95, declined: 5, cost: 100, amount: 10_000 });
      });
      const rule = createCostOptimizedRule(20_00);
      expect(rule.selectGateway(aPendingPayment({ amount: 10_00 }), ['A', 'B'], metricsOf(observed, ['A', 'B']))).toBe('B');
    });
  });
});

describe(createCurrencyPreferenceRule, () => {
  const collector = collectorWith((c) => {
    primeGatewayMetrics(c, 'ADYEN', { approved: 95, declined: 5 });
    primeGatewayMetrics(c, 'STRIPE', { approved: 60, failed: 40 });
  });

  it('should route a listed currency to its first healthy preferred gateway', () => {
    const rule = createCurrencyPreferenceRule({ EUR: ['STRIPE', 'ADYEN'] });
    const gateways = ['STRIPE', 'ADYEN', 'PAYPAL'];
    expect(rule.condition(aPendingPayment({ currency: 'EUR' }), context)).toBe(true);
    expect(rule.condition(aPendingPayment({ currency: 'USD' }), context)).toBe(false);
    // STRIPE is preferred but in trouble: the rule skips it.
    expect(rule.selectGateway(aPendingPayment(), gateways, metricsOf(collector, gateways))).toBe('ADYEN');
  });

  it('should reject an empty preference list', () => {
    expect(() => createCurrencyPreferenceRule({ EUR: [] })).toThrow(expect.objectContaining({ code: 'ROUTING.INVALID_RULE', field: 'preferences.EUR' }));
    expect(() => createCurrencyPreferenceRule({})).toThrow('createCurrencyPreferenceRule: preferences must map at least one currency to its gateways (got an object).');
  });

  it('should reject a key that is not a currency, and one currency listed twice', () => {
    expect(() => createCurrencyPreferenceRule({ EURO: ['ADYEN'] })).toThrow(expect.objectContaining({ code: 'ROUTING.INVALID_RULE', field: 'preferences.EURO' }));
    expect(() => createCurrencyPreferenceRule({ EUR: ['ADYEN'], eur: ['STRIPE'] })).toThrow(/EUR twice/);
  });
});

describe(createCountryPreferenceRule, () => {
  it('should read the country from the payment metadata', () => {
    const collector = collectorWith(() => undefined);
    const rule = createCountryPreferenceRule({ de: ['ADYEN'] });
    expect(rule.condition(aPendingPayment({ metadata: { country: 'DE' } }), context)).toBe(true);
    expect(rule.condition(aPendingPayment({ metadata: {} }), context)).toBe(false);
    expect(rule.selectGateway(aPendingPayment({ metadata: { country: 'DE' } }), ['STRIPE', 'ADYEN'], metricsOf(collector, ['STRIPE', 'ADYEN']))).toBe('ADYEN');
    expect(rule.name).toBe('country-preference');
  });

  it('should reject a key that is not a two-letter country code', () => {
    expect(() => createCountryPreferenceRule({ Germany: ['ADYEN'] })).toThrow(expect.objectContaining({ field: 'preferences.Germany' }));
  });
});

describe('built-in rule options', () => {
  it.each([
    ['createLowLatencyRule', () => createLowLatencyRule(-1), 'ROUTING.INVALID_RULE', 'maxLatencyMs'],
    ['createLowLatencyRule', () => createLowLatencyRule(100, { maxApprovalGap: 2 }), 'ROUTING.INVALID_RULE', 'maxApprovalGap'],
    ['createHighValueRule', () => createHighValueRule(100_00, { minEvidence: -1 }), 'ROUTING.INVALID_RULE', 'minEvidence'],
    ['createCostOptimizedRule', () => createCostOptimizedRule(20_00, { maxApprovalGap: Number.NaN }), 'ROUTING.INVALID_RULE', 'maxApprovalGap'],
    ['createCostOptimizedRule', () => createCostOptimizedRule(20_00, { costs: { SQUARE: { fixed: -5 } } }), 'ROUTING.INVALID_COST_MODEL', 'costs.SQUARE.fixed'],
    ['createCountryPreferenceRule', () => createCountryPreferenceRule({ DE: ['ADYEN'] }, { minEvidence: Infinity }), 'ROUTING.INVALID_RULE', 'minEvidence'],
  ])('%s should refuse a bad %#th option, naming the factory and the option', (owner, create, code, field) => {
    expect(create).toThrow(RoutingConfigurationError);
    expect(create).toThrow(expect.objectContaining({ code, field }));
    expect(create).toThrow(new RegExp(`^${owner}: ${field.replace(/\./g, '\\.')} `));
  });
});
